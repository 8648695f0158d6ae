"""What the API gives: the columns of the public pages and exports, nothing more (no member's
vote, no reviewer, no personal data beyond the name a published decision prints)."""

from rest_framework import serializers

from campaigns.models import Campaign, CampaignStatus
from scoring.models import Classification, Result
from votes.models import Award, AwardEntry, RecipientKind


class CampaignSerializer(serializers.ModelSerializer[Campaign]):
    status = serializers.ChoiceField(choices=CampaignStatus.choices)
    published_at = serializers.DateTimeField(
        allow_null=True, read_only=True, help_text="When the results were published; null before."
    )

    class Meta:
        model = Campaign
        fields = ["code", "title", "starts_on", "ends_on", "status", "published_at"]


class ResultSerializer(serializers.ModelSerializer[Result]):
    """One unit's published result: the columns of the results CSV export."""

    classification = serializers.ChoiceField(choices=Classification.choices)

    class Meta:
        model = Result
        fields = [
            "unit_code",
            "unit_name",
            "block_code",
            "self_score",
            "final_score",
            "rank",
            "block_rank",
            "classification",
            "exemplary",
            "critical_shortfall",
        ]


class AwardSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One award (selectors.AwardRecord), whatever keeps it: the council's closed sessions
    today, the award ledger tomorrow."""

    id = serializers.CharField(help_text="Stable, opaque identifier of the award.")
    campaign = serializers.CharField(help_text="Code of the campaign.")
    year = serializers.IntegerField()
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    recipient = serializers.CharField(help_text="The recipient as the published decision names it.")
    unit_code = serializers.CharField()
    unit_name = serializers.CharField()
    award = serializers.CharField(help_text="Name of the title or form of commendation.")
    award_kind = serializers.ChoiceField(choices=Award.Kind.choices)
    award_level = serializers.ChoiceField(choices=Award.Level.choices)
    proposed_to_higher_level = serializers.BooleanField(
        help_text="True: the council passed a proposal to the level above, which decides."
    )
    session_held_on = serializers.DateField()
    decided_on = serializers.DateField(allow_null=True)
    decision_number = serializers.CharField(allow_blank=True)


class LedgerEntrySerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One entry of the award ledger: what the published decision shows (recipient, award,
    year, decision number, date and signer, reward), nothing about the person beyond it."""

    id = serializers.SerializerMethodField(help_text="Stable, opaque identifier of the entry.")
    year = serializers.IntegerField()
    recipient_kind = serializers.ChoiceField(choices=RecipientKind.choices)
    recipient = serializers.CharField(help_text="The recipient as the decision names it.")
    person_name = serializers.CharField(
        allow_blank=True, help_text="The person or head of household; empty for a unit."
    )
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(help_text="The unit's name as the decision wrote it.")
    award_code = serializers.CharField(source="award.code")
    award = serializers.CharField(source="award_name")
    decision_number = serializers.CharField()
    decision_date = serializers.DateField()
    signer = serializers.CharField(allow_blank=True)
    deciding_authority = serializers.CharField(source="authority.name")
    campaign = serializers.CharField(
        source="campaign.code", allow_null=True, default=None, help_text="Null for past awards."
    )
    amount = serializers.IntegerField(allow_null=True, help_text="Reward in đồng, if recorded.")

    def get_id(self, entry: AwardEntry) -> str:
        return f"ledger-{entry.pk}"
