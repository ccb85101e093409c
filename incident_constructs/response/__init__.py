"""What an incident does: response plans (:mod:`.response_plan`), the runbooks they start
(:mod:`.runbook`), the IAM role Incident Manager assumes to start them (:mod:`.roles`), and the
replication set that holds the data (:mod:`.replication_set`). The public names are re-exported
by ``incident_constructs``."""
