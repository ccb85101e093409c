"""Tools that read a synthesized cloud assembly (``cdk.out``) and the ``incident-constructs``
command line. No import of ``aws_cdk``, ``jsii`` or ``constructs`` here (a test enforces it):
the read-only commands start fast and run where Node is not installed. Only
``incident-constructs ... --file`` builds an organisation file, and imports the CDK then.

- :mod:`.assembly`: reads the templates of a cloud assembly into plain Python objects
  (rotation overrides from their custom resources too);
- :mod:`.timeline`: an incident, minute by minute; :mod:`.oncall`: who is on call;
- :mod:`.ical`: shifts as an iCalendar file; :mod:`.hours`: intervals, night and weekend hours;
- :mod:`.review`: what a change does to people; :mod:`.lint`: coverage gaps and silent stages;
- :mod:`.diagram`: what engages whom; :mod:`.replacements`: the replacement guard;
- :mod:`.cli`: the command line.
"""
