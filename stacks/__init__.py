"""Example stacks built from incident-constructs."""
