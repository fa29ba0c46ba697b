from ninja import NinjaAPI

api = NinjaAPI(title="LAPOR API", version="1", urls_namespace="api-v1")
