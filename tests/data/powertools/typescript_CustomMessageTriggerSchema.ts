const CognitoTriggerBaseSchema = z.object({
  version: z.string(),
  triggerSource: z.string(),
  region: z.string(),
  userPoolId: z.string(),
  userName: z.string().optional(),
  callerContext: z.object({
    awsSdkVersion: z.string(),
    clientId: z.string(),
  }),
  request: z.object({}),
  response: z.object({}),
});
const CustomMessageTriggerSchema = CognitoTriggerBaseSchema.extend({
  request: z.object({
    userAttributes: z.record(z.string(), z.string()),
    codeParameter: z.string(),
    linkParameter: z.string().nullable(),
    usernameParameter: z.string().nullable(),
    clientMetadata: z.record(z.string(), z.string()).optional(),
  }),
  response: z.object({
    smsMessage: z.string().nullable(),
    emailMessage: z.string().nullable(),
    emailSubject: z.string().nullable(),
  }),
});
