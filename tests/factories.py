import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    password = factory.PostGenerationMethodCall("set_password", "pass-word-1")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or ():
            self.groups.add(Group.objects.get(name=role))
        self.save()


def principle_fields(code: str = "HARM-01", **overrides) -> dict:
    fields = {
        "code": code,
        "title": f"Principle {code}",
        "category": "harmlessness",
        "priority": 10,
        "critique_request": f"Identify how the response breaks {code}.",
        "revision_instruction": f"Rewrite the response so that it follows {code}.",
    }
    fields.update(overrides)
    return fields
