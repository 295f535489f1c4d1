"""Signing in: the login page and the API token endpoints, throttled; API tokens that expire and
can be rotated.

Failed sign-ins are counted in the cache per client address and per username, for the page and
the token endpoint together; at CAI_LOGIN_MAX_FAILURES within CAI_LOGIN_WINDOW_S both refuse
(429) without checking the password, so guessing stops paying. The counts live in the default
cache: set CACHE_URL (Redis) when several web processes serve, or each counts on its own.
"""

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

from .tokens import token_expires_at, token_issue


class SignInRateThrottle(SimpleRateThrottle):
    """Requests per client address to the token endpoints, at CAI_AUTH_THROTTLE_RATE (read when
    each request is throttled, unlike DRF's DEFAULT_THROTTLE_RATES, frozen at import)."""

    scope = "sign-in"

    def get_rate(self) -> str:
        return settings.CAI_AUTH_THROTTLE_RATE

    def get_cache_key(self, request, view) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


# -- client address and failure counts ------------------------------------------------------


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or with CAI_NUM_PROXIES trusted proxies in front, the address the outermost
    of them saw (X-Forwarded-For is otherwise whatever the client chose to send)."""
    proxies = settings.CAI_NUM_PROXIES
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _keys(request: HttpRequest, username: str) -> list[str]:
    who = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
    where = hashlib.sha256(client_address(request).encode()).hexdigest()[:32]
    return [f"signin-failures:user:{who}", f"signin-failures:addr:{where}"]


def sign_in_blocked(request: HttpRequest, username: str) -> bool:
    """True while the username or the client address has too many recent failures."""
    counts = cache.get_many(_keys(request, username))
    return any(count >= settings.CAI_LOGIN_MAX_FAILURES for count in counts.values())


def sign_in_failed(request: HttpRequest, username: str) -> None:
    for key in _keys(request, username):
        # add() starts the window; incr() keeps the key's original expiry.
        if not cache.add(key, 1, timeout=settings.CAI_LOGIN_WINDOW_S):
            try:
                cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=settings.CAI_LOGIN_WINDOW_S)


def sign_in_succeeded(request: HttpRequest, username: str) -> None:
    """Forget the username's failures (the address keeps its own until the window ends)."""
    cache.delete(_keys(request, username)[0])


def blocked_message() -> str:
    minutes = max(1, round(settings.CAI_LOGIN_WINDOW_S / 60))
    return f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes > 1 else ''}."


# -- the login page ---------------------------------------------------------------------------


class ThrottledLoginView(auth_views.LoginView):
    """Django's login page, refusing (429) while the username or address is blocked."""

    def post(self, request, *args, **kwargs) -> HttpResponse:
        username = str(request.POST.get("username", ""))[:150]
        if sign_in_blocked(request, username):
            # An unbound form: the password is not even checked while blocked.
            messages.error(request, blocked_message())
            form = self.get_form_class()(request, initial={"username": username})
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        sign_in_succeeded(self.request, form.get_user().get_username())
        return super().form_valid(form)

    def form_invalid(self, form):
        sign_in_failed(self.request, str(self.request.POST.get("username", ""))[:150])
        return super().form_invalid(form)


# -- API tokens ---------------------------------------------------------------------------------


TokenIssued = inline_serializer(
    name="TokenIssued",
    fields={
        "token": serializers.CharField(),
        "expires_at": serializers.DateTimeField(
            allow_null=True, help_text="When the token stops working (null: never)."
        ),
    },
)
THROTTLED = OpenApiResponse(description="Too many attempts; try again later.")


def _issued(token: Token) -> Response:
    return Response({"token": token.key, "expires_at": token_expires_at(token)})


class TokenObtainView(APIView):
    """Exchange a username and password for an API token."""

    permission_classes = [AllowAny]
    authentication_classes = []
    throttle_classes = [SignInRateThrottle]
    renderer_classes = [JSONRenderer]

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TokenIssued, 400: None, 429: THROTTLED},
        auth=[],
    )
    def post(self, request):
        """Your current token while it is valid, else a new one. Throttled per client, and
        refused (429) after repeated failures for the username or the client."""
        username = str(request.data.get("username", ""))[:150]
        if sign_in_blocked(request._request, username):
            raise exceptions.Throttled(detail=blocked_message())
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            sign_in_failed(request._request, username)
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        sign_in_succeeded(request._request, user.get_username())
        return _issued(token_issue(user=user, replace=False))


class TokenRotateView(APIView):
    """Replace your token with a new one; the old key stops working at once."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [SignInRateThrottle]
    renderer_classes = [JSONRenderer]

    @extend_schema(request=None, responses={200: TokenIssued, 429: THROTTLED})
    def post(self, request):
        return _issued(token_issue(user=request.user, replace=True))
