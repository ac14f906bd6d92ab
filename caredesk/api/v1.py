from ninja import NinjaAPI

api = NinjaAPI(title="caredesk API", version="1", urls_namespace="api-v1")
