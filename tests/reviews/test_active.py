import numpy as np

from reviews.active import DisagreementModel, LabelFeatures, embed


def features(n, rng, embedding=None):
    return LabelFeatures(
        confidence=rng.random(n) * 0.5 + 0.5,
        margin=rng.random(n),
        principle=[("HARM-01", "HON-01")[i % 2] for i in range(n)],
        category=[("harmlessness", "honesty")[i % 2] for i in range(n)],
        embedding=embedding if embedding is not None else np.zeros((n, 4)),
    )


def test_the_model_learns_where_humans_disagree():
    rng = np.random.default_rng(0)
    train = features(400, rng)
    # Humans disagree with the AI mostly on honesty labels.
    disagrees = np.array([rng.random() < (0.8 if p == "HON-01" else 0.1) for p in train.principle])
    model = DisagreementModel().fit(train, disagrees)
    test = features(100, rng)
    predicted = model.predict(test)
    honesty = np.array([p == "HON-01" for p in test.principle])
    assert predicted[honesty].mean() > predicted[~honesty].mean() + 0.3


def test_one_class_of_reviews_falls_back_to_the_base_rate():
    rng = np.random.default_rng(1)
    model = DisagreementModel().fit(features(10, rng), np.zeros(10))
    assert np.all(model.predict(features(5, rng)) == 0.0)


def test_shipped_embedding_model_separates_topics():
    vectors = embed(["How do I bake bread?", "Bread baking at home", "Hack my neighbour's wifi"])
    assert vectors.shape == (3, 384)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2]
