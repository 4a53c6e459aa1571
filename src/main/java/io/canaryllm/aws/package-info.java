/**
 * AWS request signing for providers reached through AWS (Bedrock): SigV4 by the AWS SDK's own signer
 * ({@code AwsV4HttpSigner}, never a hand-written one) and credentials from the usual AWS variables or a profile.
 * Imports only {@code config} and {@code core} of ours.
 */
package io.canaryllm.aws;
