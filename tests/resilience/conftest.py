from tests.resilience.cluster import cluster, stack

__all__ = ["cluster", "stack"]
