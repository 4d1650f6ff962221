app_name = "accelerator"

urlpatterns: list = []
