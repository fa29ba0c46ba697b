"""Django's Redis cache, lending its connection pool to django-rq.

django-rq builds a new Redis client, with a new connection pool, every time it looks up a queue, so
each enqueued job opened and closed a TCP connection (30% of a web worker's time when filings still
enqueued in RQ mode; ADR 0028). Its `USE_REDIS_CACHE` option takes the cache's client instead, through
`get_master_client()` when the cache is not django-redis: this class provides that, and the process
keeps one pool for both."""

from typing import Any

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache

__all__ = ["RedisCache"]


class RedisCache(DjangoRedisCache):
    def get_master_client(self) -> Any:
        return self._cache.get_client(write=True)
