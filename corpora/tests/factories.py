import factory

from accounts.tests.factories import UserFactory
from corpora.models import Corpus, CorpusMember, ImportBatch


class CorpusFactory(factory.django.DjangoModelFactory[Corpus]):
    class Meta:
        model = Corpus

    owner = factory.SubFactory(UserFactory)
    name = factory.Sequence(lambda n: f"Corpus {n}")
    description = ""


class CorpusMemberFactory(factory.django.DjangoModelFactory[CorpusMember]):
    class Meta:
        model = CorpusMember

    corpus = factory.SubFactory(CorpusFactory)
    user = factory.SubFactory(UserFactory)
    role = CorpusMember.Role.VIEWER
    added_by = factory.SelfAttribute("corpus.owner")


class ImportBatchFactory(factory.django.DjangoModelFactory[ImportBatch]):
    class Meta:
        model = ImportBatch

    corpus = factory.SubFactory(CorpusFactory)
    created_by = factory.SelfAttribute("corpus.owner")
    file_name = factory.Sequence(lambda n: f"import-{n}.txt")
    format = ImportBatch.Format.TXT
