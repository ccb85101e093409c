"""``python -m incident_constructs.organisation.synth FILE OUTDIR``: build an organisation file
into a stack named ``Organisation`` and synthesize it into ``OUTDIR``.

The command line's ``--file`` option runs this in a child process, so the command line itself
never loads the CDK runtime. Exit status 0 on success; 2 with the problem on standard error
(one line per problem, personal data masked) when the file or a construct check refuses it.
"""

from __future__ import annotations

import sys


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m incident_constructs.organisation.synth FILE OUTDIR", file=sys.stderr)
        return 2
    file, outdir = argv
    import aws_cdk as cdk

    from incident_constructs import build_organisation

    app = cdk.App(outdir=outdir, builtin_cloud_formation_validation=False)
    stack = cdk.Stack(app, "Organisation")
    try:
        build_organisation(stack, file)
        app.synth()
    except Exception as error:  # OrganisationFileError, ValidationError, a validation at synth
        print(str(error).strip().replace("\n", "; "), file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
