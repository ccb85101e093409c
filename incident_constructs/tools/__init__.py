"""Tools that read a synthesized cloud assembly (``cdk.out``) and the ``incident-constructs``
command line. No import of ``aws_cdk``, ``jsii`` or ``constructs`` here (a test enforces it):
the read-only commands start fast and run where Node is not installed. Only
``incident-constructs ... --file`` builds an organisation file, and imports the CDK then.

- :mod:`.assembly`: reads the templates of a cloud assembly into plain Python objects;
- :mod:`.timeline`: an incident, minute by minute; :mod:`.oncall`: who is on call;
- :mod:`.diagram`: what engages whom; :mod:`.replacements`: the replacement guard;
- :mod:`.cli`: the command line.
"""
