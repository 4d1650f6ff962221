app_name = "microprojects"

urlpatterns: list = []
