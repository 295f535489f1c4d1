"""Events the labeling app announces, so that higher apps react without this app importing them.

`labels_arrived` is sent when AI labels made elsewhere have been written (a file import, or a
batch through the streaming API), after the transaction that wrote them has committed: automation
rules send a sample of them to review. Labels our own critic makes are not announced here.
"""

from django.dispatch import Signal

# sender: LabelSource; kwargs: source (the LabelSource), kind (a label kind key, labeling.kinds),
# runs (ids of the LabelingRuns the labels belong to), label_ids (ids in the kind's table, or None
# when every label of `runs` arrived now: a whole file), actor (who sent them, or None).
labels_arrived = Signal()
