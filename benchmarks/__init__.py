"""Synthesis benchmark: N teams written with incident-constructs, with raw aws-cdk-lib L1
constructs and as a plain JSON writer (the floor). Run ``python -m benchmarks --help``."""
