from loaders.settings import settings_table

from .conftest import REPO


def test_every_setting_is_in_the_readme_table():
    readme = (REPO / "README.md").read_text()
    missing = [env for env, _, _ in settings_table() if f"| `{env}` |" not in readme]
    assert missing == []
