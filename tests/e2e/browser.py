"""What every browser test does: sign in through the real login form."""

from tests.factories import PASSWORD


def sign_in(page, base_url: str, email: str, next_path: str = "") -> None:
    """Sign in on the Ukrainian login page; with `next_path`, land there afterwards."""
    page.goto(f"{base_url}/uk/accounts/login/" + (f"?next={next_path}" if next_path else ""))
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
