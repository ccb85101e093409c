"""Who Incident Manager engages: personal contacts and their channels (:mod:`.contact`),
escalation plans (:mod:`.escalation`), on-call rotations (:mod:`.rotation`) and on-call
schedules (:mod:`.schedule`). The public names are re-exported by ``incident_constructs``."""
