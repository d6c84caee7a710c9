"""The orchestration of jobs: the Celery tasks, the bridge to the models, the champion resolver.

Above the apps whose rows it moves (annotation, review, learning, corpora): a task claims a
submission through annotation's services, runs a model, records the result, and opens what
follows it in the other apps (a review item for an uncertain label). Those apps queue its tasks
by name (common.jobs) and never import it.
"""
