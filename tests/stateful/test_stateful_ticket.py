"""Random commands against the real ticket workflow and a tiny table model."""

from __future__ import annotations

from hypothesis import settings
from hypothesis import strategies as st

from walletsupport.testing._workflow_stateful import ANY, WorkflowRuleMachine
from walletsupport.workflows import CaseSnapshot, Command
from walletsupport.workflows.ticket import (
    AskCustomer,
    CloseTicket,
    CustomerReplied,
    PutOnHold,
    ReopenTicket,
    ReplyToCustomer,
    ResumeTicket,
    SolveTicket,
    StartWork,
    TicketData,
    TicketPolicy,
    ticket_workflow,
)

POLICY = TicketPolicy()

# (state, event) -> next state; anything missing must be refused.
TABLE = {
    ("new", "start_work"): "open",
    ("new", "reply"): "open",
    ("new", "ask_customer"): "pending",
    ("open", "reply"): "open",
    ("open", "ask_customer"): "pending",
    ("open", "hold"): "on_hold",
    ("open", "solve"): "solved",
    ("pending", "customer_replied"): "open",
    ("pending", "solve"): "solved",
    ("on_hold", "reply"): "on_hold",
    ("on_hold", "resume"): "open",
    ("on_hold", "solve"): "solved",
    ("solved", "reopen"): ANY,  # within the reopen window only
    ("solved", "close"): "closed",
}


class TicketRules(WorkflowRuleMachine):
    workflows = (ticket_workflow(policy=POLICY),)
    kind = "ticket"

    def initial_data(self) -> TicketData:
        return TicketData(subject="card declined at checkout")

    def commands(self) -> st.SearchStrategy[Command]:
        return st.one_of(
            st.just(StartWork()),
            st.just(ReplyToCustomer()),
            st.builds(AskCustomer, question=st.sampled_from(["", "which card?"])),
            st.just(CustomerReplied()),
            st.builds(PutOnHold, reason=st.sampled_from(["bank", "network"])),
            st.just(ResumeTicket()),
            st.builds(SolveTicket, resolution=st.just("refunded")),
            st.builds(ReopenTicket, reason=st.just("still broken")),
            st.just(CloseTicket()),
        )

    def expect(self, snapshot: CaseSnapshot, command: Command) -> object:
        expected = TABLE.get((snapshot.state, command.event))
        if expected is ANY:
            solved_at = TicketData.model_validate(snapshot.data).solved_at
            assert solved_at is not None
            return "open" if self.clock.now() <= solved_at + POLICY.reopen_window else None
        return expected


TicketRules.TestCase.settings = settings(max_examples=40, stateful_step_count=30, deadline=None)
TestTicketWorkflow = TicketRules.TestCase
