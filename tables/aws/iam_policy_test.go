package aws

import (
	"context"
	"reflect"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/iam"
)

func TestIAMPolicyMoto(t *testing.T) {
	c := iamMotoClients(t, "100000000104")
	ctx := context.Background()

	const v2Document = `{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}`
	versioned, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("versioned"), Path: aws.String("/team/"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy versioned", err)
	versionedARN := aws.ToString(versioned.Policy.Arn)
	_, err = c.IAM.CreatePolicyVersion(ctx, &iam.CreatePolicyVersionInput{PolicyArn: aws.String(versionedARN), PolicyDocument: aws.String(v2Document), SetAsDefault: true})
	iamMust(t, "create policy version", err)
	unused, err := c.IAM.CreatePolicy(ctx, &iam.CreatePolicyInput{PolicyName: aws.String("unused"), PolicyDocument: aws.String(iamTestPolicy)})
	iamMust(t, "create policy unused", err)
	unusedARN := aws.ToString(unused.Policy.Arn)

	// NOTE: the shared moto server does not load AWS-managed policies
	// (moto 5.2.1's iam.load_aws_managed_policies is off), so attaching
	// one fails with NoSuchEntity. The offline tests cover them.
	iamCreateUser(t, c, "reader")
	_, err = c.IAM.AttachUserPolicy(ctx, &iam.AttachUserPolicyInput{UserName: aws.String("reader"), PolicyArn: aws.String(versionedARN)})
	iamMust(t, "attach user policy", err)

	const table = "aws_iam_policy"
	recs := collect(t, table, c)
	byARN := iamByKey(t, recs, "arn")
	if len(recs) != 2 {
		t.Errorf("got %d policies, want 2", len(recs))
	}

	cases := []struct {
		arn         string
		name        string
		awsManaged  bool
		attachments int64
		version     string
	}{
		{versionedARN, "versioned", false, 1, "v2"},
		{unusedARN, "unused", false, 0, "v1"},
	}
	for _, tc := range cases {
		rec := byARN[tc.arn]
		if rec == nil {
			t.Errorf("policy %s: missing", tc.arn)
			continue
		}
		if got := iamColumn(t, table, rec, "policy_name"); got != tc.name {
			t.Errorf("%s policy_name: got %v, want %s", tc.arn, got, tc.name)
		}
		if got := iamColumn(t, table, rec, "is_aws_managed"); got != tc.awsManaged {
			t.Errorf("%s is_aws_managed: got %v, want %v", tc.arn, got, tc.awsManaged)
		}
		if got := iamColumn(t, table, rec, "attachment_count"); got != tc.attachments {
			t.Errorf("%s attachment_count: got %v, want %d", tc.arn, got, tc.attachments)
		}
		if got := iamColumn(t, table, rec, "default_version_id"); got != tc.version {
			t.Errorf("%s default_version_id: got %v, want %s", tc.arn, got, tc.version)
		}
		if iamColumn(t, table, rec, "document") == nil {
			t.Errorf("%s document: got NULL, want the default version's document", tc.arn)
		}
	}

	// The document is the default version's (v2), not the first version's.
	doc := iamJSON(t, table, byARN[versionedARN], "document")
	want := map[string]any{"Version": "2012-10-17", "Statement": []any{map[string]any{"Effect": "Deny", "Action": "*", "Resource": "*"}}}
	if !reflect.DeepEqual(doc, want) {
		t.Errorf("versioned document: got %v, want %v", doc, want)
	}
	if got := iamColumn(t, table, byARN[versionedARN], "path"); got != "/team/" {
		t.Errorf("versioned path: got %v, want /team/", got)
	}
}
