# Marks the project root: pytest puts this directory on sys.path, so tests import
# extractors/, schemas/, publishing/ and flows/ without installing the project.
