from .roles import role_names


def roles(request):
    return {"user_roles": role_names(request.user)} if hasattr(request, "user") else {}
