"""The Celery application: one per process, configured from Django settings (``CELERY_*``).

Jobs are long and their state lives in the database, so the configuration favours "never lose a
job" over throughput: late acknowledgement (a job is acknowledged once it finished, and a killed
worker's job is delivered again), one message prefetched at a time, and explicit time limits.
"""

import os

from celery import Celery
from django.conf import settings
from kombu import Queue

from common import jobs

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.local")

app = Celery("portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_serializer="json",
    result_serializer="json",
    accept_content=["json"],
    result_accept_content=["json"],
    result_expires=24 * 60 * 60,
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_track_started=True,
    # Defaults for tasks that do not state their own limits.
    task_soft_time_limit=5 * 60,
    task_time_limit=6 * 60,
    # Speech and text run on separate queues so that long transcriptions never delay a text job;
    # retraining on its own (declared, so that monitoring sees it).
    # Challengers in shadow on theirs, low priority: the champion's answer never waits for them.
    # Each queue has a routing key of its own (a bare Queue("asr") is bound under the default
    # one, "nlp"), so that a job can reach no queue but its own (portal/tests/test_queues.py).
    task_queues=tuple(Queue(name, routing_key=name) for name in jobs.QUEUES),
    task_default_queue="nlp",
    task_routes={
        # The tasks live in pipeline/tasks/ under the names they always had (common/jobs.py).
        jobs.CLASSIFY_SUBMISSION: {"queue": "nlp"},
        jobs.CLASSIFY_TRANSCRIPT: {"queue": "nlp"},
        jobs.CLASSIFY_LIVE_SEGMENTS: {"queue": "nlp"},
        jobs.TRANSCRIBE_SUBMISSION: {"queue": "asr"},
        # A recording decoded while it is made: the speech model's, like its transcription.
        jobs.LIVE_DECODE: {"queue": "asr"},
        jobs.AUDIO_PURGE_EXPIRED: {"queue": "nlp"},
        jobs.RECONCILE: {"queue": "nlp"},
        # An import's texts, by chunks of one model call each: text classification.
        jobs.IMPORT_BATCH_CLASSIFY: {"queue": "nlp"},
        jobs.EXPLAIN_PREDICTION: {"queue": "nlp"},
        jobs.SHADOW_PREDICT: {"queue": "shadow"},
        # Training needs minutes and GBs: a queue of its own, so classification never waits.
        "learning.tasks.retraining_task": {"queue": "training"},
        "learning.tasks.retraining_check_task": {"queue": "training"},
    },
    beat_schedule={
        # No job lost, none stuck: jobs whose message is gone are sent again (pipeline/reconciler).
        "reconcile-jobs": {"task": jobs.RECONCILE, "schedule": 30},
        # Voice recordings are personal data: none outlives AUDIO_RETENTION_HOURS by much.
        "purge-expired-audio": {
            "task": jobs.AUDIO_PURGE_EXPIRED,
            "schedule": 15 * 60,
        },
        # Retrain when enough accepted corrections have piled up (PARLURE_RETRAIN_MIN_CORRECTIONS).
        "retraining-if-due": {
            "task": "learning.tasks.retraining_check_task",
            "schedule": 60 * 60,
        },
    },
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    worker_send_task_events=True,
    task_send_sent_event=True,
)

# --- monitoring: the rejected-predictions alert, checked every minute (monitoring/tasks.py).
app.conf.beat_schedule["monitoring-alert-check"] = {
    "task": "monitoring.tasks.alert_check_task",
    "schedule": 60,
}
app.conf.task_routes["monitoring.tasks.alert_check_task"] = {"queue": "nlp"}
# --- and data drift, where the model is loaded (monitoring/drift.py).
app.conf.beat_schedule["monitoring-drift-check"] = {
    "task": "monitoring.tasks.drift_check_task",
    "schedule": 60 * settings.PARLURE_DRIFT_CHECK_MINUTES,
}
app.conf.task_routes["monitoring.tasks.drift_check_task"] = {"queue": "nlp"}
app.autodiscover_tasks()
