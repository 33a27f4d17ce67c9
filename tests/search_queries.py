"""The search query set: what a candidate would type, and the question that must come first.

Used by tests/test_search.py (precision budgets) and tests/benchmarks/bench_search.py
(the figures). Each query maps to the id of the question a reader must see first;
tests/support.py runs the queries through Material's own search worker.

How Material's search treats a query (its worker, integrations/search/query):
every word of the query is split at the separator in mkdocs.yml and given a
trailing wildcard (`backprop` is searched as `backprop*`), the words are OR-ed,
and the index holds words unstemmed. So a word cut short still finds its
question, while a misspelt word finds nothing: there is no automatic fuzzy
matching. Fuzzy matching happens only when the reader asks for it with lunr's
`~1` (one edit: a letter added, dropped, changed or two swapped). The typo
queries below are therefore of those two kinds only.
"""

from __future__ import annotations

EXPECTED_FIRST: dict[str, str] = {
    # --- Terms: the word for the concept, as a reader would type it --------------
    "learning rate": "what-is-learning-rate",
    "lr": "what-is-learning-rate",
    "eta": "what-is-learning-rate",
    "η": "what-is-learning-rate",
    "Adam": "adam-vs-sgd",
    "SGD": "adam-vs-sgd",
    "momentum": "adam-vs-sgd",
    "RMSProp": "adam-vs-sgd",
    "range test": "choosing-learning-rate",
    "LR finder": "choosing-learning-rate",
    "grid search": "choosing-learning-rate",
    "saddle points": "learning-rate-too-low",
    "divergence": "learning-rate-too-high",
    "epoch": "epoch",
    "batch size": "batch-size",
    "backward": "backward",
    "chain rule": "backward",
    "computational graph": "backward",
    "validation": "validation-set",
    "test set": "validation-set",
    "cross-validation": "validation-set",
    "early stopping": "validation-set",
    "overfitting": "overfitting",
    "underfitting": "overfitting",
    "generalization gap": "overfitting",
    "seed": "random-seed",
    "deterministic": "random-seed",
    "normalization": "normalization",
    "normalize": "normalization",
    "Fashion-MNIST": "fashion-mnist-format",
    "channels first": "fashion-mnist-format",
    "ReLU": "relu",
    "Leaky ReLU": "relu",
    "GELU": "relu",
    "activation function": "relu",
    # --- Synonyms: another name for the same thing (a question's `synonyms`) -----
    "step size": "what-is-learning-rate",
    "beta1": "adam-vs-sgd",
    "bias correction": "adam-vs-sgd",
    "adaptive moment estimation": "adam-vs-sgd",
    "iteration": "epoch",
    "mini-batch": "batch-size",
    "minibatch": "batch-size",
    "gradient accumulation": "zero-grad",
    "backpropagation": "backward",
    "autograd": "backward",
    "dev set": "validation-set",
    "holdout set": "validation-set",
    "reproducibility": "random-seed",
    "standardization": "normalization",
    "feature scaling": "normalization",
    "IDX": "fashion-mnist-format",
    "rectified linear unit": "relu",
    "dead neurons": "relu",
    "dying ReLU": "relu",
    # --- Code identifiers: found by the question that explains them --------------
    "zero_grad": "zero-grad",
    "zero grad": "zero-grad",
    "optimizer.zero_grad()": "zero-grad",
    "model.zero_grad()": "zero-grad",
    "set_to_none": "zero-grad",
    "set_to_none=True": "zero-grad",
    "loss.backward()": "backward",
    "requires_grad": "backward",
    "retain_graph": "backward",
    "lr_find": "choosing-learning-rate",
    "drop_last": "epoch",
    "manual_seed": "random-seed",
    "torch.manual_seed": "random-seed",
    "worker_init_fn": "random-seed",
    "cudnn.benchmark": "random-seed",
    "random_split": "validation-set",
    "ToTensor()": "normalization",
    "transforms.Normalize": "normalization",
    "nn.Flatten": "fashion-mnist-format",
    "permute": "fashion-mnist-format",
    # --- Phrases: a symptom or a question, in a reader's words -------------------
    "loss explodes": "learning-rate-too-high",
    "learning rate too high": "learning-rate-too-high",
    "learning rate too low": "learning-rate-too-low",
    "how to choose learning rate": "choosing-learning-rate",
    "adam vs sgd": "adam-vs-sgd",
    "linear scaling rule": "batch-size",
    "epoch vs iteration": "epoch",
    "clear the gradients": "zero-grad",
    "divide by 255": "normalization",
    "compute mean and std": "normalization",
    "train validation test split": "validation-set",
    # --- Typos the engine can take (see above): a word cut short, or `~1` --------
    "backprop": "backward",
    "overfit": "overfitting",
    "learning rat": "what-is-learning-rate",
    "momentun~1": "adam-vs-sgd",
    "epcoh~1": "epoch",
    "learnig~1 rate": "what-is-learning-rate",
    "overfiting~1": "overfitting",
    "normalisation~1": "normalization",
}

# Queries a candidate would type that Material's search does not yet answer well, with the
# question they mean and why they miss. Not asserted: tests/benchmarks/bench_search.py prints
# where they land, so a change that fixes (or explains) one is seen; move it up when it passes.
KNOWN_MISSES: dict[str, str] = {
    # Its answer says `step()` is what changes the weights; the `step` of "step size",
    # a synonym of the learning rate, outweighs it (a synonym weighs ten titles).
    "optimizer.step()": "backward",
    # `use` is a word of two titles ("Why use Adam ...", "Why use ReLU ...").
    "use_deterministic_algorithms": "random-seed",
    # `gradient` is a word of zero_grad's synonym "gradient accumulation".
    "gradient descent": "adam-vs-sgd",
    # The `a` is searched as `a*`: every word starting with "a" (Adam, autograd) matches.
    "how to choose a learning rate": "choosing-learning-rate",
    # `loss` is a word of the title "What does loss.backward() do?".
    "loss diverges": "learning-rate-too-high",
}
