package aws

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name: "aws_sns_topic_subscription",
		Description: "SNS subscriptions that the account owns, confirmed or pending, from ListSubscriptions. " +
			"A subscription waiting for confirmation has no ARN yet, so rows are keyed by topic, protocol and endpoint.",
		Key: "subscription_key",
		Columns: []store.Column{
			{Name: "subscription_key", Type: store.TypeText, Description: "Topic ARN, protocol and endpoint joined by spaces, which SNS keeps unique per topic."},
			{Name: "arn", Type: store.TypeText, Description: "ARN of the subscription. NULL while it waits for confirmation."},
			{Name: "subscription_arn", Type: store.TypeText, Description: `SubscriptionArn as SNS returns it: the ARN, or "PendingConfirmation" or "Deleted".`},
			{Name: "pending_confirmation", Type: store.TypeBool, Description: "True when the endpoint has not confirmed the subscription yet."},
			{Name: "topic_arn", Type: store.TypeText, Description: "ARN of the topic subscribed to."},
			{Name: "protocol", Type: store.TypeText, Description: "Delivery protocol: http, https, email, email-json, sms, sqs, application, lambda or firehose."},
			{Name: "endpoint", Type: store.TypeText, Description: "Endpoint that receives the messages (URL, address, phone number or ARN). A password in an HTTP/S URL is replaced with REDACTED."},
			{Name: "owner", Type: store.TypeText, Description: "Account ID of the subscription's owner."},
		},
	}, fetchSNSSubscriptions)
}

// pendingSubscriptionARN is the SubscriptionArn that SNS returns for a
// subscription waiting for confirmation.
const pendingSubscriptionARN = "PendingConfirmation"

func fetchSNSSubscriptions(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := sns.NewListSubscriptionsPaginator(c.SNS, &sns.ListSubscriptionsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list subscriptions: %w", err)
		}
		for _, sub := range page.Subscriptions {
			sub.Endpoint = aws.String(redactEndpointPassword(aws.ToString(sub.Endpoint)))
			subscriptionARN := aws.ToString(sub.SubscriptionArn)
			topicARN := aws.ToString(sub.TopicArn)
			protocol := aws.ToString(sub.Protocol)
			endpoint := aws.ToString(sub.Endpoint)

			var arn any
			if strings.HasPrefix(subscriptionARN, "arn:") {
				arn = subscriptionARN
			}
			if err := emit(tables.Record{
				"subscription_key":     topicARN + " " + protocol + " " + endpoint,
				"arn":                  arn,
				"subscription_arn":     subscriptionARN,
				"pending_confirmation": subscriptionARN == pendingSubscriptionARN,
				"topic_arn":            topicARN,
				"protocol":             protocol,
				"endpoint":             endpoint,
				"owner":                sub.Owner,
				"raw":                  sub,
			}); err != nil {
				return err
			}
		}
	}
	return nil
}

// redactEndpointPassword replaces the password of an HTTP or HTTPS endpoint
// URL (https://user:password@host/path, which SNS accepts for basic
// authentication) with "REDACTED". Other endpoints return unchanged.
func redactEndpointPassword(endpoint string) string {
	if !strings.HasPrefix(endpoint, "http://") && !strings.HasPrefix(endpoint, "https://") {
		return endpoint
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		// An endpoint that does not parse could still contain a password:
		// replace the whole user information of its authority.
		scheme, rest, _ := strings.Cut(endpoint, "://")
		authorityEnd := strings.IndexAny(rest, "/?#")
		if authorityEnd < 0 {
			authorityEnd = len(rest)
		}
		if at := strings.LastIndex(rest[:authorityEnd], "@"); at >= 0 {
			return scheme + "://REDACTED@" + rest[at+1:]
		}
		return endpoint
	}
	if _, has := u.User.Password(); !has {
		return endpoint
	}
	u.User = url.UserPassword(u.User.Username(), "REDACTED")
	return u.String()
}
