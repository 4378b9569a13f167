package aws

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sns"
	snstypes "github.com/aws/aws-sdk-go-v2/service/sns/types"

	"github.com/stance-cspm/stance/internal/store"
	"github.com/stance-cspm/stance/tables"
)

func init() {
	register(&tables.Table{
		Name:        "aws_sns_topic",
		Description: "SNS topics with their attributes, access policy and tags.",
		Key:         "arn",
		Columns: []store.Column{
			{Name: "arn", Type: store.TypeText, Description: "ARN of the topic."},
			{Name: "name", Type: store.TypeText, Description: "Name of the topic, the last part of its ARN."},
			{Name: "display_name", Type: store.TypeText, Description: "Display name used as the sender of SMS messages, empty when not set."},
			{Name: "kms_master_key_id", Type: store.TypeText, Description: "KMS key (ID, alias or ARN) that encrypts messages at rest. NULL when the topic is not encrypted or its attributes are unknown."},
			{Name: "policy", Type: store.TypeJSON, Description: "Access policy of the topic as a JSON document."},
			{Name: "delivery_policy", Type: store.TypeJSON, Description: "Delivery retry policy set on the topic for HTTP/S endpoints. NULL when the defaults apply."},
			{Name: "effective_delivery_policy", Type: store.TypeJSON, Description: "Delivery policy in effect, defaults included."},
			{Name: "subscriptions_confirmed", Type: store.TypeInt, Description: "Number of confirmed subscriptions."},
			{Name: "subscriptions_pending", Type: store.TypeInt, Description: "Number of subscriptions waiting for confirmation."},
			{Name: "subscriptions_deleted", Type: store.TypeInt, Description: "Number of deleted subscriptions not yet purged."},
			{Name: "owner", Type: store.TypeText, Description: "Account ID of the topic's owner."},
		},
	}, fetchSNSTopics)
}

// snsTopicRaw is the raw column of aws_sns_topic: the list entry with the
// results of the detail calls.
type snsTopicRaw struct {
	TopicArn   *string
	Attributes map[string]string `json:",omitempty"`
	Tags       []snstypes.Tag    `json:",omitempty"`
}

func fetchSNSTopics(ctx context.Context, c *Clients, emit func(tables.Record) error) error {
	pages := sns.NewListTopicsPaginator(c.SNS, &sns.ListTopicsInput{})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list topics: %w", err)
		}
		for _, topic := range page.Topics {
			rec, err := snsTopicRecord(ctx, c, aws.ToString(topic.TopicArn))
			if err != nil {
				return err
			}
			if rec == nil {
				continue
			}
			if err := emit(rec); err != nil {
				return err
			}
		}
	}
	return nil
}

// snsTopicRecord builds the record of one topic. It returns nil when the
// topic was deleted after it was listed.
func snsTopicRecord(ctx context.Context, c *Clients, arn string) (tables.Record, error) {
	raw := snsTopicRaw{TopicArn: aws.String(arn)}
	rec := tables.Record{
		"arn":  arn,
		"name": arn[strings.LastIndex(arn, ":")+1:],
		"raw":  &raw,
	}

	attrs, err := c.SNS.GetTopicAttributes(ctx, &sns.GetTopicAttributesInput{TopicArn: aws.String(arn)})
	switch {
	case IsErrorCode(err, "NotFound"):
		return nil, nil
	case isUnknownDetailError(err):
		// The attribute columns stay NULL.
	case err != nil:
		return nil, fmt.Errorf("get attributes of topic %s: %w", arn, err)
	default:
		raw.Attributes = attrs.Attributes
		if err := setSNSTopicAttributes(rec, attrs.Attributes); err != nil {
			return nil, fmt.Errorf("topic %s: %w", arn, err)
		}
	}

	tags, err := c.SNS.ListTagsForResource(ctx, &sns.ListTagsForResourceInput{ResourceArn: aws.String(arn)})
	switch {
	case isUnknownDetailError(err):
		// The tags column stays NULL.
	case err != nil:
		return nil, fmt.Errorf("list tags of topic %s: %w", arn, err)
	default:
		raw.Tags = tags.Tags
		rec["tags"] = Tags(tags.Tags)
	}
	return rec, nil
}

// setSNSTopicAttributes copies the topic attributes that have columns into
// rec. SNS returns every attribute as a string, counts included.
func setSNSTopicAttributes(rec tables.Record, attrs map[string]string) error {
	rec["display_name"] = attrs["DisplayName"]
	rec["owner"] = emptyToNull(attrs["Owner"])
	rec["kms_master_key_id"] = emptyToNull(attrs["KmsMasterKeyId"])

	for column, attr := range map[string]string{
		"policy":                    "Policy",
		"delivery_policy":           "DeliveryPolicy",
		"effective_delivery_policy": "EffectiveDeliveryPolicy",
	} {
		doc := attrs[attr]
		policy, err := PolicyJSON(&doc)
		if err != nil {
			return fmt.Errorf("attribute %s: %w", attr, err)
		}
		rec[column] = policy
	}

	for column, attr := range map[string]string{
		"subscriptions_confirmed": "SubscriptionsConfirmed",
		"subscriptions_pending":   "SubscriptionsPending",
		"subscriptions_deleted":   "SubscriptionsDeleted",
	} {
		value, ok := attrs[attr]
		if !ok || value == "" {
			continue
		}
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil {
			return fmt.Errorf("attribute %s: invalid count %q", attr, value)
		}
		rec[column] = n
	}
	return nil
}

// emptyToNull returns s, or nil for an empty string so that the column is NULL.
func emptyToNull(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// isUnknownDetailError reports whether the error of a per-resource detail
// call leaves that call's columns unknown (NULL) without failing the
// partition. That is the case when the offline source lacks the file, or
// when the caller may list the resource but not read this detail. Services
// spell access denied differently: AccessDenied (query APIs such as
// CloudWatch), AccessDeniedException (JSON and REST APIs) and
// AuthorizationError (SNS). A nil error returns false.
func isUnknownDetailError(err error) bool {
	return err != nil && (IsNotCollected(err) || IsErrorCode(err, "AccessDenied", "AccessDeniedException", "AuthorizationError"))
}
