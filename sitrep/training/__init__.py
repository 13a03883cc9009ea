"""Training sitrep's models from labelled data (needs the ``train`` extra: scikit-learn).

Nothing here is imported by the pipeline: the runtime reads the weights these modules write with
numpy alone.
"""
