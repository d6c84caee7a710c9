import factory
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import MEMBER

PASSWORD = "correct horse battery staple"


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def member(obj: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            obj.groups.add(Group.objects.get(name=MEMBER))
