"""The tamper-evident audit log: staff actions and every look at an anonymous reporter, chained by hashes."""
