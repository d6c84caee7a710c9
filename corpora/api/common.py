"""What the corpus endpoints share: their tag, path parameters and examples."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter

TAG = "corpora"
CORPUS_ID = "c4a1e2f3-7b6d-4e5f-8a9b-1c2d3e4f5a6b"
SUBMISSION_ID = "5b7e0c3a-2f4d-4a8e-9c1b-6d3e2f1a0b9c"
IMPORT_ID = "9f1e2d3c-4b5a-4678-9abc-def012345678"
CORPUS_EXAMPLE = {
    "id": CORPUS_ID,
    "name": "Courriers administratifs",
    "description": "Lettres reçues par la mairie en 2024.",
    "owner": "camille@example.org",
    "role": "annotator",
    "submission_count": 1250,
    "created_at": "2025-03-14T09:26:53Z",
    "updated_at": "2025-03-15T18:02:11Z",
}
MEMBER_EXAMPLE = {
    "id": 7,
    "email": "dominique@example.org",
    "display_name": "Dominique",
    "role": "viewer",
    "added_at": "2025-03-14T10:00:00Z",
}
IMPORT_EXAMPLE = {
    "id": IMPORT_ID,
    "file_name": "courriers.csv",
    "format": "csv",
    "items_read": 1200,
    "items_accepted": 1198,
    "items_rejected": 2,
    "problems": [
        {"line": 18, "member": "", "code": "empty", "message": "Le texte est vide."},
        {
            "line": 412,
            "member": "",
            "code": "too_long",
            "message": "Le texte fait 25 310 caractères ; la limite est de 20 000 caractères.",
        },
    ],
    "progress": {
        "total": 1198,
        "queued": 900,
        "classifying": 1,
        "done": 297,
        "failed": 0,
        "cancelled": 0,
        "finished": False,
        "fraction": 0.248,
    },
    "created_by": "camille@example.org",
    "created_at": "2025-03-14T11:02:00Z",
}
CORPUS_PATH = OpenApiParameter(
    "public_id",
    OpenApiTypes.UUID,
    OpenApiParameter.PATH,
    description="The corpus's id.",
    examples=[OpenApiExample("A corpus", value=CORPUS_ID)],
)
ROLE_RULES = (
    "Roles: the owner may do everything; members may read (viewer), also add submissions and "
    "imports (annotator), also validate transcripts and read everyone's feedback (reviewer)."
)
