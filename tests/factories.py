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


# AI labels and what reviews make of them, for tests that need rows in the database without a
# model or a worker. Labels are written as the worker writes them: counted in the tallies.


class ItemSetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "labeling.ItemSet"

    name = factory.Sequence(lambda n: f"items {n}")
    item_count = 0


class ItemFactory(factory.django.DjangoModelFactory):
    """A response pair (kind="pair"); pass kind="single" and response_b="" for a single."""

    class Meta:
        model = "labeling.Item"

    item_set = factory.SubFactory(ItemSetFactory)
    line = factory.Sequence(lambda n: n + 1)
    kind = "pair"
    prompt = factory.LazyAttribute(lambda item: [{"role": "user", "content": f"q{item.line}"}])
    response_a = factory.LazyAttribute(lambda item: f"a{item.line}")
    response_b = factory.LazyAttribute(lambda item: f"b{item.line}" if item.kind == "pair" else "")
    domain = "general"


class CriticConfigFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "labeling.CriticConfig"
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"critic {n}")
    backend = "transformers"
    model = "tiny"


class LabelingRunFactory(factory.django.DjangoModelFactory):
    """A finished labeling run. constitution_version is required: pass a published version."""

    class Meta:
        model = "labeling.LabelingRun"

    item_set = factory.SubFactory(ItemSetFactory)
    critic = factory.SubFactory(CriticConfigFactory)
    task = "preference"
    status = "done"
    total_units = 0


class _LabelFactory(factory.django.DjangoModelFactory):
    """What every AI label carries: its run and item, the principle, and the item's facts."""

    class Meta:
        abstract = True

    item = factory.SubFactory(ItemFactory, item_set=factory.SelfAttribute("..run.item_set"))
    principle_code = "HARM-01"
    principle_category = "harmlessness"
    model_id = "tiny"
    domain = factory.SelfAttribute("item.domain")
    locale = factory.SelfAttribute("item.locale")
    harm_category = factory.SelfAttribute("item.harm_category")
    high_stakes = factory.SelfAttribute("item.high_stakes")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from labeling.services.processing import labels_save

        label = model_class(*args, **kwargs)
        labels_save(model_class, [label])
        return label


def _judged(field: str):
    """A judgment field, from P(A) in both orders the way the worker combines them."""

    def value(label):
        from labeling.judging import combine_orders

        return getattr(combine_orders(label.p_a_first, label.p_a_second), field)

    return factory.LazyAttribute(value)


class PreferenceLabelFactory(_LabelFactory):
    """A preference label; set p_a_first and p_a_second, the rest follows from them."""

    class Meta:
        model = "labeling.PreferenceLabel"

    run = factory.SubFactory(LabelingRunFactory, task="preference")
    item = factory.SubFactory(
        ItemFactory, item_set=factory.SelfAttribute("..run.item_set"), kind="pair"
    )
    p_a_first = 0.8
    p_a_second = 0.7
    p_a = _judged("p_a")
    confidence = _judged("confidence")
    margin = _judged("margin")
    entropy = _judged("entropy")
    position_stuck = _judged("position_stuck")
    choice = _judged("choice")
    option_mass = 0.9


class CritiqueLabelFactory(_LabelFactory):
    class Meta:
        model = "labeling.CritiqueLabel"

    run = factory.SubFactory(LabelingRunFactory, task="critique")
    item = factory.SubFactory(
        ItemFactory, item_set=factory.SelfAttribute("..run.item_set"), kind="single",
        response_b="",
    )  # fmt: skip
    critique = "The response could say more about safety."
    revision = "A safer response."


class ReviewSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewSample"

    name = factory.Sequence(lambda n: f"sample {n}")
    label_kind = "preference"
    strategy = "random"
    population_size = 10
    sample_size = 1


class SampledPreferenceFactory(factory.django.DjangoModelFactory):
    """A preference label drawn into a sample, carrying the label's facts as sample_draw
    copies them."""

    class Meta:
        model = "reviews.SampledLabel"

    class Params:
        # The label drawn; the sampled label names it by kind and id (labeling.kinds).
        preference_label = factory.SubFactory(PreferenceLabelFactory)

    sample = factory.SubFactory(ReviewSampleFactory, label_kind="preference")
    kind = "preference"
    label_id = factory.SelfAttribute("preference_label.pk")
    stratum = factory.SelfAttribute("preference_label.principle_code")
    inclusion_probability = 0.1
    principle_code = factory.SelfAttribute("preference_label.principle_code")
    principle_category = factory.SelfAttribute("preference_label.principle_category")
    domain = factory.SelfAttribute("preference_label.domain")
    locale = factory.SelfAttribute("preference_label.locale")
    harm_category = factory.SelfAttribute("preference_label.harm_category")
    constitution_version = factory.SelfAttribute("preference_label.run.constitution_version")
    critic = factory.SelfAttribute("preference_label.run.critic")
    ai_choice = factory.SelfAttribute("preference_label.choice")
    ai_confidence = factory.SelfAttribute("preference_label.confidence")
    position_stuck = factory.SelfAttribute("preference_label.position_stuck")
    labeled_at = factory.SelfAttribute("preference_label.created_at")


class ReviewQueueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reviews.ReviewQueue"

    sample = factory.SubFactory(ReviewSampleFactory)
    name = factory.SelfAttribute("sample.name")
    overlap = 1


class ReviewSlotFactory(factory.django.DjangoModelFactory):
    """A slot of a queue on a sampled label of the queue's sample, done by `reviewer`."""

    class Meta:
        model = "reviews.ReviewSlot"

    sampled_label = factory.SubFactory(SampledPreferenceFactory)
    queue = factory.SubFactory(
        ReviewQueueFactory, sample=factory.SelfAttribute("..sampled_label.sample")
    )
    seat = 1
    status = "done"
    reviewer = factory.SubFactory(UserFactory)
    position = factory.Sequence(lambda n: n)


class ReviewFactory(factory.django.DjangoModelFactory):
    """A reviewer's answer on a preference label: by default they agree with the AI."""

    class Meta:
        model = "reviews.Review"

    slot = factory.SubFactory(ReviewSlotFactory)
    sampled_label = factory.SelfAttribute("slot.sampled_label")
    reviewer = factory.SelfAttribute("slot.reviewer")
    preference = factory.LazyAttribute(lambda review: review.sampled_label.ai_choice)
    ai_correct = factory.LazyAttribute(
        lambda review: review.preference == review.sampled_label.ai_choice
    )
    rationale = "because"
