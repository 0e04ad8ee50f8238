"""The floor for figure 2: the minimal boto3 script making the same call.

``python bare_resend.py ENDPOINT REGION CLIENT_ID USERNAME`` prints the
CodeDeliveryDetails as JSON. Unsigned, as ResendConfirmationCode needs no
credentials (and a signed client would look up credentials first).
"""

import json
import sys

import boto3
from botocore import UNSIGNED
from botocore.config import Config

endpoint, region, client_id, username = sys.argv[1:5]
client = boto3.client(
    "cognito-idp",
    region_name=region,
    endpoint_url=endpoint,
    config=Config(signature_version=UNSIGNED),
)
answer = client.resend_confirmation_code(ClientId=client_id, Username=username)
print(json.dumps(answer["CodeDeliveryDetails"]))
