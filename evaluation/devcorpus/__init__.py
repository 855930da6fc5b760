"""A development corpus built from data: strategy-like documents in every format and layout
regions publish, each with its truth, in six splits (tuned, heldout, fresh, unseen, blind, sealed). See
README.md."""

from smartspec.evaluation.devcorpus.build import LAYOUTS, build
from smartspec.evaluation.devcorpus.documents import SPLITS, load_documents

__all__ = ["LAYOUTS", "SPLITS", "build", "load_documents"]
