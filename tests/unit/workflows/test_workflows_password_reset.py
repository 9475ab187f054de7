"""Password reset: codes and links, lockout, expiry, password policy, no secret kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from walletsupport.adapters import MemoryStore
from walletsupport.clock import FixedClock
from walletsupport.errors import (
    ConfigurationError,
    GuardRejectedError,
    IdempotencyKeyReusedError,
    InvalidInputError,
    TransitionNotAllowedError,
)
from walletsupport.values import Password
from walletsupport.verification import OtpPolicy
from walletsupport.workflows import WorkflowService
from walletsupport.workflows.password_reset import (
    CompleteReset,
    ExpireReset,
    PasswordResetData,
    PasswordResetPolicy,
    PasswordResetState,
    ResetChannel,
    SubmitResetCode,
    SubmitResetToken,
    password_reset_workflow,
    reset_response,
)

T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
KEY = b"test-server-key-0123456789abcdef"
GOOD_PASSWORD = "violet tractor unfolds quietly"


def _rng(value: int):
    return lambda n: value % n


class Desk:
    """A service with one reset case, and helpers that read as the customer's steps."""

    def __init__(self, policy: PasswordResetPolicy | None = None) -> None:
        self.clock = FixedClock(T0)
        self.policy = policy or PasswordResetPolicy(key=KEY)
        self.service = WorkflowService(
            MemoryStore(), self.clock, [password_reset_workflow(policy=self.policy)]
        )
        self.keys = 0
        self.case = self.service.open(
            "password_reset", PasswordResetData(account_ref="acct-1"), case_id="R-1", actor="c"
        )

    def apply(self, command):
        self.keys += 1
        self.case = self.service.apply("R-1", command, idempotency_key=f"k{self.keys}", actor="c")
        return self.case

    def send_code(self, value: int = 482_913) -> str:
        issued, command = self.policy.issue_code("R-1", self.clock.now(), rng=_rng(value))
        self.apply(command)
        return issued.reveal()

    def send_link(self) -> str:
        issued, command = self.policy.issue_token("R-1", self.clock.now(), account_ref="acct-1")
        self.apply(command)
        return issued.reveal()

    def data(self) -> PasswordResetData:
        return PasswordResetData.model_validate(self.case.data)


def test_correct_code_verifies_and_a_good_password_completes_the_reset():
    desk = Desk()
    code = desk.send_code()
    assert desk.apply(SubmitResetCode(code=code)).state == "verified"
    done = desk.apply(CompleteReset(new_password=Password.parse(GOOD_PASSWORD)))
    assert done.state == PasswordResetState.COMPLETED
    assert done.last_entry.details["notify_customer"] is True
    assert done.last_entry.details["auto_login"] is False


def test_reset_link_token_verifies_once_and_completes():
    desk = Desk()
    token = desk.send_link()
    assert desk.data().channel is ResetChannel.LINK
    assert desk.apply(SubmitResetToken(token=token)).state == "verified"
    token_state = desk.data().token
    assert token_state is not None
    assert token_state.used_at == T0


def test_wrong_code_is_recorded_and_the_case_stays_waiting():
    desk = Desk()
    desk.send_code(111_111)
    after = desk.apply(SubmitResetCode(code="222222"))
    assert after.state == "code_sent"
    assert after.last_entry.details == {"outcome": "mismatch", "failed_attempts": 1}


def test_five_wrong_codes_lock_the_reset_out():
    desk = Desk()
    desk.send_code(111_111)
    states = [desk.apply(SubmitResetCode(code="222222")).state for _ in range(5)]
    assert states == ["code_sent"] * 4 + ["locked_out"]


def test_locked_out_reset_cannot_complete():
    desk = Desk(PasswordResetPolicy(key=KEY, otp=OtpPolicy(max_attempts=1)))
    code = desk.send_code(111_111)
    assert desk.apply(SubmitResetCode(code="999999")).state == "locked_out"
    with pytest.raises(TransitionNotAllowedError):
        desk.apply(SubmitResetCode(code=code))
    with pytest.raises(TransitionNotAllowedError):
        desk.apply(CompleteReset(new_password=Password.parse(GOOD_PASSWORD)))


def test_wrong_tokens_lock_the_reset_out_after_the_policy_limit():
    desk = Desk(PasswordResetPolicy(key=KEY, max_token_attempts=2))
    desk.send_link()
    assert desk.apply(SubmitResetToken(token="not-the-token")).state == "token_issued"
    assert desk.apply(SubmitResetToken(token="still-not-it")).state == "locked_out"


def test_late_code_expires_the_reset_even_when_correct():
    desk = Desk()
    code = desk.send_code()
    desk.clock.advance(timedelta(minutes=5))
    assert desk.apply(SubmitResetCode(code=code)).state == "expired"


def test_code_for_another_case_never_verifies_this_one():
    desk = Desk()
    issued, command_for_other_case = desk.policy.issue_code("R-2", T0, rng=_rng(123_456))
    desk.apply(command_for_other_case)  # a code bound to R-2 lands on R-1
    assert desk.apply(SubmitResetCode(code=issued.reveal())).state == "code_sent"


def test_weak_new_password_is_refused_with_reasons_but_never_the_password():
    desk = Desk()
    desk.apply(SubmitResetCode(code=desk.send_code()))
    with pytest.raises(GuardRejectedError) as caught:
        desk.apply(CompleteReset(new_password=Password.parse("qwerty123")))
    assert "too common" in caught.value.reason
    assert "qwerty" not in str(caught.value)
    assert desk.service.load("R-1").state == "verified"


def test_password_that_is_the_customers_user_name_is_refused():
    desk = Desk()
    desk.apply(SubmitResetCode(code=desk.send_code()))
    command = CompleteReset(new_password=Password.parse("annabelle77"), context=("Annabelle",))
    with pytest.raises(GuardRejectedError, match="user name"):
        desk.apply(command)


def test_mismatched_confirmation_is_refused():
    desk = Desk()
    desk.apply(SubmitResetCode(code=desk.send_code()))
    command = CompleteReset(
        new_password=Password.parse(GOOD_PASSWORD),
        confirmation=Password.parse(GOOD_PASSWORD + "!"),
    )
    with pytest.raises(GuardRejectedError, match="differ"):
        desk.apply(command)


def test_verified_reset_cannot_complete_after_the_completion_window():
    desk = Desk()
    desk.apply(SubmitResetCode(code=desk.send_code()))
    desk.clock.advance(timedelta(minutes=15))
    with pytest.raises(GuardRejectedError, match="lapsed"):
        desk.apply(CompleteReset(new_password=Password.parse(GOOD_PASSWORD)))
    assert desk.apply(ExpireReset()).state == "expired"


def test_expiry_is_refused_while_the_code_is_still_valid():
    desk = Desk()
    desk.send_code()
    desk.clock.advance(timedelta(minutes=4))
    with pytest.raises(GuardRejectedError, match="nothing has lapsed"):
        desk.apply(ExpireReset())
    desk.clock.advance(timedelta(minutes=1))
    assert desk.apply(ExpireReset()).state == "expired"


def test_request_without_a_code_lapses_after_the_request_window():
    desk = Desk()
    desk.clock.advance(timedelta(minutes=15))
    with pytest.raises(GuardRejectedError, match="request has lapsed"):
        desk.send_code()
    assert desk.apply(ExpireReset()).state == "expired"


def test_resent_code_replaces_the_old_one_and_keeps_the_failure_count():
    desk = Desk()
    old = desk.send_code(111_111)
    desk.apply(SubmitResetCode(code="000000"))
    desk.clock.advance(timedelta(seconds=30))
    issued, resend = desk.policy.resend_code(desk.case, desk.clock.now(), rng=_rng(333_333))
    assert desk.apply(resend).state == "code_sent"
    otp = desk.data().otp
    assert otp is not None
    assert otp.failed_attempts == 1
    assert desk.apply(SubmitResetCode(code=old)).state == "code_sent"
    assert desk.apply(SubmitResetCode(code=issued.reveal())).state == "verified"


def test_a_resend_that_resets_the_failure_count_is_refused():
    desk = Desk()
    desk.send_code(111_111)
    desk.apply(SubmitResetCode(code="000000"))
    _, fresh = desk.policy.issue_code("R-1", desk.clock.now())
    forged = type(fresh).model_validate({"otp": fresh.otp}).otp
    from walletsupport.workflows.password_reset import ResendResetCode

    with pytest.raises(GuardRejectedError, match="same verification"):
        desk.apply(ResendResetCode(otp=forged))


def test_reset_without_a_server_key_refuses_to_check_codes():
    desk = Desk(PasswordResetPolicy())
    keyed = PasswordResetPolicy(key=KEY)
    _, command = keyed.issue_code("R-1", T0)
    desk.apply(command)
    with pytest.raises(GuardRejectedError, match="no server key"):
        desk.apply(SubmitResetCode(code="123456"))
    with pytest.raises(ConfigurationError):
        desk.policy.issue_code("R-1", T0)


def test_code_channel_cannot_be_link():
    with pytest.raises(InvalidInputError):
        PasswordResetPolicy(key=KEY).issue_code("R-1", T0, channel=ResetChannel.LINK)


def test_replaying_a_code_submission_returns_the_first_result_and_uses_no_attempt():
    desk = Desk()
    desk.send_code(111_111)
    first = desk.service.apply("R-1", SubmitResetCode(code="1"), idempotency_key="s", actor="c")
    again = desk.service.apply("R-1", SubmitResetCode(code="2"), idempotency_key="s", actor="c")
    assert again == first
    assert PasswordResetData.model_validate(again.data).failed_attempts == 1


def test_an_idempotency_key_cannot_be_reused_for_another_command():
    desk = Desk()
    desk.send_code()
    desk.service.apply("R-1", SubmitResetCode(code="1"), idempotency_key="s", actor="c")
    with pytest.raises(IdempotencyKeyReusedError):
        desk.service.apply("R-1", ExpireReset(), idempotency_key="s", actor="c")


def test_reset_response_is_the_same_whether_or_not_an_account_exists():
    desk = Desk()
    unknown = desk.service.open("password_reset", {}, case_id="R-2", actor="c")
    assert reset_response(desk.case) == reset_response(unknown)
    assert reset_response(desk.case).model_dump_json() == reset_response(unknown).model_dump_json()
    with pytest.raises(InvalidInputError):
        reset_response("R-1")  # type: ignore[arg-type]


def test_each_waiting_state_lists_its_running_deadline():
    desk = Desk()
    assert [d.name for d in desk.service.due(desk.case)] == ["reset_request_expiry"]
    desk.send_code()
    (code_expiry,) = desk.service.due(desk.case)
    assert (code_expiry.name, code_expiry.due_at) == ("code_expiry", T0 + timedelta(minutes=5))
    assert "NIST_OOB_SECRET" in code_expiry.source
    assert desk.case.next_due_at == code_expiry.due_at


def test_completed_reset_has_no_running_deadline():
    desk = Desk()
    desk.apply(SubmitResetCode(code=desk.send_code()))
    desk.apply(CompleteReset(new_password=Password.parse(GOOD_PASSWORD)))
    assert desk.service.due(desk.case) == ()
    assert desk.case.next_due_at is None


def test_policy_rejects_a_short_key_and_a_foreign_policy():
    with pytest.raises(ValueError, match="16 bytes"):
        PasswordResetPolicy(key=b"short")
    with pytest.raises(ConfigurationError):
        password_reset_workflow(policy="strict")  # type: ignore[arg-type]


def test_send_code_command_with_a_stale_code_is_refused():
    desk = Desk()
    _, command = desk.policy.issue_code("R-1", T0)
    desk.clock.advance(timedelta(minutes=6))
    with pytest.raises(GuardRejectedError):
        desk.apply(command)


@settings(max_examples=25, deadline=None)
@given(
    password=st.text(min_size=1, max_size=30).map(lambda s: "\u03a9\u00a7" + s),
    code=st.integers(min_value=0, max_value=999_999),
)
def test_no_code_or_password_ever_appears_in_the_case_or_its_audit(password, code):
    desk = Desk()
    plain = desk.send_code(code)
    desk.apply(SubmitResetCode(code=plain))
    refusal = ""
    try:
        desk.apply(CompleteReset(new_password=Password.parse(password)))
    except GuardRejectedError as exc:
        refusal = str(exc)
    assert password not in refusal
    stored = desk.service.load("R-1")
    otp = PasswordResetData.model_validate(stored.data).otp
    assert otp is not None
    text = stored.model_dump_json().replace(otp.digest, "").replace(otp.salt, "")
    assert plain not in text
    assert password not in stored.model_dump_json()
    assert password not in repr(stored)
    assert all(password not in repr(entry) for entry in desk.service.store.audit("R-1"))


def test_a_reset_token_issued_for_another_case_never_verifies_here():
    desk, other = Desk(), Desk()
    issued, for_other_case = other.policy.issue_token("R-2", T0, account_ref="acct-1")
    with pytest.raises(GuardRejectedError, match="another case or account"):
        desk.apply(for_other_case)
    # recorded anyway (a forged command with this case's id): the hash is bound to R-2
    forged = for_other_case.model_copy(update={"case_id": "R-1"})
    desk.apply(forged)
    case = desk.apply(SubmitResetToken(token=issued.reveal()))
    assert case.state == "token_issued"
    assert desk.data().failed_attempts == 1


def test_a_reset_token_issued_for_another_account_is_refused():
    desk = Desk()
    _, for_other_account = desk.policy.issue_token("R-1", T0, account_ref="acct-2")
    with pytest.raises(GuardRejectedError, match="another case or account"):
        desk.apply(for_other_account)
    issued, unbound = desk.policy.issue_token("R-1", T0, account_ref="acct-2")
    desk.apply(unbound.model_copy(update={"account_ref": "acct-1"}))
    assert desk.apply(SubmitResetToken(token=issued.reveal())).state == "token_issued"
