"""Every public function of walletsupport.regulation rejects garbage with the library's errors."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from walletsupport.errors import WalletSupportError
from walletsupport.regulation import Institution, cn, psd2, reg_e, reg_z, uk

AT = datetime(2026, 3, 2, 9, tzinfo=ZoneInfo("UTC"))
US = Institution.for_region("US")
GB = Institution.for_region("GB")
NAIVE = datetime(2026, 3, 2, 9)
GARBAGE = ["x", 5, None, NAIVE, object()]

CALLS = [
    ("reg_e.error_resolution_deadlines", lambda g: reg_e.error_resolution_deadlines(g, US, at=AT)),
    (
        "reg_e.error_resolution_deadlines(at)",
        lambda g: reg_e.error_resolution_deadlines(reg_e.ErrorCase(notice_at=AT), US, at=g),
    ),
    (
        "reg_e.error_resolution_deadlines(institution)",
        lambda g: reg_e.error_resolution_deadlines(reg_e.ErrorCase(notice_at=AT), g, at=AT),
    ),
    ("reg_e.liability", lambda g: reg_e.liability(g, US)),
    ("reg_e.error_kind_for", reg_e.error_kind_for),
    ("reg_e.notice_window", lambda g: reg_e.notice_window(g, US)),
    (
        "reg_e.prepaid_notice_window",
        lambda g: reg_e.prepaid_notice_window(g, electronic_access_at=AT),
    ),
    (
        "reg_e.prepaid_alternative_notice_window",
        lambda g: reg_e.prepaid_alternative_notice_window(g, US),
    ),
    ("reg_e.is_new_account", lambda g: reg_e.is_new_account(g, AT, US)),
    ("reg_e.ErrorCase", lambda g: reg_e.ErrorCase(notice_at=AT, kind=g)),
    ("reg_z.applicable_regime", reg_z.applicable_regime),
    ("reg_z.billing_error_kind_for", reg_z.billing_error_kind_for),
    ("reg_z.billing_error_deadlines", lambda g: reg_z.billing_error_deadlines(g, US)),
    ("reg_z.notice_window", lambda g: reg_z.notice_window(g, US)),
    ("reg_z.liability", lambda g: reg_z.liability(g, AT)),
    ("psd2.refund_deadline", lambda g: psd2.refund_deadline(g, US)),
    ("psd2.unauthorised_deadlines", lambda g: psd2.unauthorised_deadlines(g, US)),
    ("psd2.notification_deadline", lambda g: psd2.notification_deadline(g, US)),
    ("psd2.refund_request_deadline", lambda g: psd2.refund_request_deadline(AT, g)),
    ("psd2.complaint_deadlines", lambda g: psd2.complaint_deadlines(g, US)),
    ("psd2.liability", psd2.liability),
    ("uk.refund_deadline", lambda g: uk.refund_deadline(g, GB)),
    ("uk.unauthorised_deadlines", lambda g: uk.unauthorised_deadlines(g, GB)),
    ("uk.notification_deadline", lambda g: uk.notification_deadline(AT, g)),
    ("uk.liability", uk.liability),
    ("uk.app_deadlines", lambda g: uk.app_deadlines(g, GB)),
    ("uk.app_claim_deadline", lambda g: uk.app_claim_deadline(g, GB)),
    ("uk.app_reimbursement", lambda g: uk.app_reimbursement(g, GB)),
    ("uk.complaint_deadlines", lambda g: uk.complaint_deadlines(g, GB, psd_complaint=True)),
    ("uk.complaint_schedule", uk.complaint_schedule),
    (
        "cn.complaint_deadlines",
        lambda g: cn.complaint_deadlines(AT, Institution.for_region("CN"), g),
    ),
    ("cn.ComplaintSla", lambda g: cn.ComplaintSla(amount=15, unit=g)),
    ("Institution.for_region", Institution.for_region),
    ("Institution.eu_psp", Institution.eu_psp),
    ("Institution.uk_psp", lambda g: Institution.uk_psp(nation=g)),
    ("Institution.us_bank", lambda g: Institution.us_bank(zone=g)),
    (
        "Institution",
        lambda g: Institution(name="x", jurisdiction="US", schedule=g, regimes=("reg_e",)),
    ),
]


@pytest.mark.parametrize(("name", "call"), CALLS, ids=[c[0] for c in CALLS])
@pytest.mark.parametrize("garbage", GARBAGE, ids=["str", "int", "none", "naive", "object"])
def test_garbage_raises_a_walletsupport_error(name, call, garbage):
    with pytest.raises(WalletSupportError):
        call(garbage)
