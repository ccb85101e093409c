"""Pure calculations shared by the constructs and the tools: no import of ``aws_cdk``, ``jsii`` or
``constructs`` here (a test enforces it), so the command line that uses them starts without the
CDK runtime.

- :mod:`.shifts`: who is on call when, from a rotation's settings;
- :mod:`.masking`: personal data (channel addresses) shown safely in messages and tables.
"""
