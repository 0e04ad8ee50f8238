"""The channels' state that moto keeps: SES identities, SNS opt-outs, CloudWatch Logs, the pool.

moto's backends are process-global (one per account and Region); the seeding
here is idempotent, so several sandboxes in one process share it safely, and
it is re-applied when a ``mock_aws`` elsewhere reset the backends.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from console.sandbox.channels import SES_IDENTITY, Channels

if TYPE_CHECKING:
    from moto.cognitoidp.models import CognitoIdpUserPool

    from console.sandbox.delivering import Target
    from console.sandbox.moto_state import PoolRecord

__all__ = ["ChannelGuard", "MotoChannels", "notification_log_group_name"]


def notification_log_group_name(pool_id: str) -> str:
    """The log group the demo pool's userNotification errors go to."""
    return f"/aws/cognito/userpools/{pool_id}/userNotification"


class MotoChannels:
    """Reads and writes the channel state moto keeps, for one sandbox's pool."""

    def __init__(self, channels: Channels, pool: CognitoIdpUserPool) -> None:
        self.channels = channels
        self._pool = pool

    @property
    def _account(self) -> str:
        return str(self._pool.account_id)

    @property
    def _region(self) -> str:
        return str(self._pool.region)

    def seed(self, opted_out: tuple[str, ...] = ()) -> None:
        """The verified SES identity, the opted-out numbers, the log group and its configuration."""
        self.ensure()
        from moto.sns.models import sns_backends

        sns = sns_backends[self._account][self._region]
        for number in opted_out:
            if number not in sns.opt_out_numbers:
                sns.opt_out_numbers.append(number)
        group = notification_log_group_name(str(self._pool.id))
        arn = f"arn:aws:logs:{self._region}:{self._account}:log-group:{group}"
        self.channels.set_log_configurations(
            str(self._pool.id),
            [
                {
                    "LogLevel": "ERROR",
                    "EventSource": "userNotification",
                    "CloudWatchLogsConfiguration": {"LogGroupArn": arn},
                }
            ],
        )
        self.channels.on_change = self.apply_pool_settings

    def ensure(self) -> None:
        """(Re)create the SES identity and log group if moto lost them; cheap when present."""
        from moto.logs.models import logs_backends
        from moto.ses.models import ses_backends

        ses = ses_backends[self._account][self._region]
        identity = ses.email_identities.get(SES_IDENTITY)
        if identity is None:
            identity = ses.create_email_identity_v2(SES_IDENTITY, None, None, None)
        identity.verified_for_sending_status = self.channels.ses_identity_verified
        logs = logs_backends[self._account][self._region]
        group = notification_log_group_name(str(self._pool.id))
        if group not in logs.groups:
            logs.create_log_group(group, {})

    def apply_pool_settings(self) -> None:
        """Show the channels' email setup in the pool (DescribeUserPool's EmailConfiguration)."""
        self.ensure()
        config: dict[str, Any] = self._pool.extended_config
        if self.channels.email_sending == "DEVELOPER":
            config["EmailConfiguration"] = {
                "EmailSendingAccount": "DEVELOPER",
                "SourceArn": f"arn:aws:ses:{self._region}:{self._account}:identity/{SES_IDENTITY}",
                "From": f"Sandbox <{SES_IDENTITY}>",
            }
        else:
            config["EmailConfiguration"] = {"EmailSendingAccount": "COGNITO_DEFAULT"}

    def describe_extras(self, pool_id: str) -> dict[str, str]:
        """What DescribeUserPool adds for this pool: its configuration failures."""
        if pool_id != str(self._pool.id):
            return {}
        extras: dict[str, str] = {}
        if self.channels.email_configuration_failure:
            extras["EmailConfigurationFailure"] = self.channels.email_configuration_failure
        if self.channels.sms_configuration_failure:
            extras["SmsConfigurationFailure"] = self.channels.sms_configuration_failure
        return extras

    def identity_verified(self, identity: str) -> bool:
        """Whether moto's SES has *identity* (or its domain) verified for sending."""
        from moto.ses.models import ses_backends

        ses = ses_backends[self._account][self._region]
        for name in (identity, identity.rpartition("@")[2]):
            found = ses.email_identities.get(name)
            if found is not None and found.verified_for_sending_status:
                return True
        return False

    def opted_out(self, number: str) -> bool:
        """Whether *number* is on moto's SNS opt-out list."""
        from moto.sns.models import sns_backends

        return number in sns_backends[self._account][self._region].opt_out_numbers

    def log_delivery_error(self, pool_id: str, event: dict[str, object]) -> None:
        """Write one userNotification error event to the pool's log group, if it has one."""
        group = self.channels.notification_log_group(pool_id)
        if group is None:
            return
        from moto.logs.models import logs_backends

        logs = logs_backends[self._account][self._region]
        if group not in logs.groups:
            logs.create_log_group(group, {})
        stream = "userNotification"
        if stream not in logs.groups[group].streams:
            logs.create_log_stream(group, stream)
        timestamp = event.get("eventTimestamp")
        timestamp = timestamp if isinstance(timestamp, int) else 0
        logs.put_log_events(group, stream, [{"timestamp": timestamp, "message": json.dumps(event)}])


class ChannelGuard:
    """The sandbox's :class:`~console.sandbox.delivering.DeliveryGuard`: the channels decide.

    A dropped message gets a userNotification error event in the pool's log
    group, shaped like the developer guide's example (``eventSource``
    ``USER_NOTIFICATION``, ``logLevel`` ``ERROR``, ``message.details``,
    ``logSourceId``); *choice*: the sandbox adds ``userName`` and
    ``deliveryMedium`` to ``message`` so a reader can tell whose message failed.
    """

    def __init__(self, moto: MotoChannels, clock: Callable[[], float]) -> None:
        self._moto = moto
        self._clock = clock

    def dropped(
        self, pool: PoolRecord, username: str, target: Target, request_id: str
    ) -> str | None:
        """Why the channel drops this message (logged to the pool's log group), or None."""
        self._moto.ensure()
        reason = self._moto.channels.drop_reason(
            pool.pool_id,
            pool.email_sending_account,
            target.medium,
            target.destination,
            identity_verified=self._moto.identity_verified,
            opted_out=self._moto.opted_out,
        )
        if reason is None:
            return None
        self._moto.log_delivery_error(
            pool.pool_id,
            {
                "eventTimestamp": int(self._clock() * 1000),
                "eventSource": "USER_NOTIFICATION",
                "logLevel": "ERROR",
                "message": {
                    "details": reason,
                    "deliveryMedium": target.medium,
                    "userName": username,
                    "requestId": request_id,
                },
                "logSourceId": {
                    "userPoolId": pool.pool_id,
                    "userPoolArn": f"arn:aws:cognito-idp:{pool.region}:{pool.account_id}:"
                    f"userpool/{pool.pool_id}",
                },
            },
        )
        return reason
