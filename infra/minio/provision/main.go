// Command userpipe-minio-provision does the few things that need MinIO's root account, so that
// no service ever holds it:
//
//   - creates the source and result buckets, and subscribes the source bucket's object-created and
//     object-removed events to MinIO's MQTT targets (setting a bucket notification is an admin
//     right: a service allowed to do it could also silence the pipeline);
//   - versions the source bucket, so that a DELETE writes a delete marker with write quorum,
//     which a stale copy left on some drives cannot outvote when distributed MinIO heals (without
//     it, an acknowledged delete that reached only some drives can be healed back, silently:
//     docs/design.md, "A hole in the bucket itself"); a lifecycle rule expires the versions
//     versioning keeps, so the bucket holds little beyond its live objects and a delete marker
//     per deleted key;
//   - gives each service its own MinIO user, whose policy allows only what that service does.
//     The policies are the templates in ../policies (one per service, `<service>.json`), with
//     ${SRC_BUCKET}, ${RES_BUCKET} and ${OUTPUT_KEY} filled in; the user of `<service>.json` is
//     <SERVICE>_MINIO_ACCESS_KEY with secret <SERVICE>_MINIO_SECRET_KEY, and its policy is named
//     after it.
//
// `apply` (the default) is idempotent: the stack runs it on every start (infra/local/minio.sh, the
// compose service minio-provision), and the tests run it for the buckets and users of each test
// stack. `remove` deletes the users and their policies again (the tests' clean-up).
//
// Settings come from the environment, with the names of .env: MINIO_HOST, MINIO_PORT,
// MINIO_USE_SSL, MINIO_ACCESS_KEY and MINIO_SECRET_KEY (the root account), SRC_BUCKET,
// RES_BUCKET, OUTPUT_KEY, MINIO_NOTIFY_TARGET_ID, MINIO_NOTIFY_FAST_TARGET_ID, and
// USERPIPE_MINIO_POLICIES, the folder of the policy templates.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/minio/madmin-go/v3"
	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/lifecycle"
	"github.com/minio/minio-go/v7/pkg/notification"
)

// ObjectRemovedAll covers s3:ObjectRemoved:DeleteMarkerCreated, the event of a delete on the
// versioned source bucket.
var bucketEvents = []notification.EventType{notification.ObjectCreatedAll, notification.ObjectRemovedAll}

// The source bucket's lifecycle rule, found again by its ID on every run.
const versionsRuleID = "userpipe-expire-old-versions"

// versionsRule expires what versioning keeps: an overwritten or deleted version a day after it
// stopped being current. A day, not less: MinIO counts in whole days, and nothing reads an old
// version (the pipeline reads current objects only), so the day only bounds what the bucket holds
// beyond its live objects.
//
// The delete marker left in front of no version is kept (no ExpiredObjectDeleteMarker), one per
// deleted key name. MinIO's scanner judges "alone" from one drive's xl.meta, and for a delete
// marker it deletes without checking again with quorum (erasureObjects.DeleteObject skips the
// lifecycle re-check when the version read is a marker). A drive that was down while a key was
// written and deleted gets the marker healed onto it without the version under it (that version
// needs more drives to heal than the marker); there the marker looks alone, is expired on every
// drive, and the deleted key is back, with no event (seen in node-loss runs: docs/design.md,
// "The clustered topology").
func versionsRule() lifecycle.Rule {
	return lifecycle.Rule{
		ID:                          versionsRuleID,
		Status:                      "Enabled",
		NoncurrentVersionExpiration: lifecycle.NoncurrentVersionExpiration{NoncurrentDays: 1},
	}
}

// A policy's resources are ARNs in which `*` and `?` are wildcards: names holding them (or JSON
// quoting) would widen the grant, so only plain names are filled in.
var plainName = regexp.MustCompile(`^[A-Za-z0-9._/-]+$`)

type settings struct {
	endpoint, rootUser, rootPassword string
	ssl                              bool
	srcBucket, resBucket             string
	templateVars                     map[string]string
	targetIDs                        []string
	policyDir                        string
}

type serviceUser struct {
	service, accessKey, secretKey string
	policy                        []byte
}

func main() {
	command := "apply"
	if len(os.Args) > 1 {
		command = os.Args[1]
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var err error
	switch command {
	case "apply":
		err = run(ctx, apply)
	case "remove":
		err = run(ctx, remove)
	default:
		err = fmt.Errorf("usage: userpipe-minio-provision [apply|remove]")
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "minio-provision: %v\n", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, step func(context.Context, settings, []serviceUser) error) error {
	s, err := loadSettings()
	if err != nil {
		return err
	}
	users, err := loadUsers(s)
	if err != nil {
		return err
	}
	return step(ctx, s, users)
}

func need(name string) (string, error) {
	v := os.Getenv(name)
	if v == "" {
		return "", fmt.Errorf("%s is required but not set", name)
	}
	return v, nil
}

func loadSettings() (settings, error) {
	var s settings
	var missing []string
	get := func(name string) string {
		v, err := need(name)
		if err != nil {
			missing = append(missing, name)
		}
		return v
	}
	s.endpoint = net.JoinHostPort(get("MINIO_HOST"), get("MINIO_PORT"))
	s.rootUser, s.rootPassword = get("MINIO_ACCESS_KEY"), get("MINIO_SECRET_KEY")
	s.srcBucket, s.resBucket = get("SRC_BUCKET"), get("RES_BUCKET")
	s.templateVars = map[string]string{"SRC_BUCKET": s.srcBucket, "RES_BUCKET": s.resBucket, "OUTPUT_KEY": get("OUTPUT_KEY")}
	s.policyDir = get("USERPIPE_MINIO_POLICIES")
	s.targetIDs = []string{get("MINIO_NOTIFY_TARGET_ID")}
	if fast := os.Getenv("MINIO_NOTIFY_FAST_TARGET_ID"); fast != "" {
		s.targetIDs = append(s.targetIDs, fast)
	}
	switch strings.ToLower(os.Getenv("MINIO_USE_SSL")) {
	case "true", "1", "on":
		s.ssl = true
	}
	if len(missing) > 0 {
		return s, fmt.Errorf("missing settings: %s", strings.Join(missing, ", "))
	}
	for name, value := range s.templateVars {
		if !plainName.MatchString(value) {
			return s, fmt.Errorf("%s=%q: only letters, digits and . _ / - are allowed in a policy", name, value)
		}
	}
	return s, nil
}

// loadUsers renders each service's policy template and finds its user's credentials.
func loadUsers(s settings) ([]serviceUser, error) {
	templates, err := filepath.Glob(filepath.Join(s.policyDir, "*.json"))
	if err != nil || len(templates) == 0 {
		return nil, fmt.Errorf("no policy templates in %q", s.policyDir)
	}
	sort.Strings(templates)
	var users []serviceUser
	for _, path := range templates {
		service := strings.TrimSuffix(filepath.Base(path), ".json")
		prefix := strings.ToUpper(strings.ReplaceAll(service, "-", "_"))
		accessKey, err := need(prefix + "_MINIO_ACCESS_KEY")
		if err != nil {
			return nil, err
		}
		secretKey, err := need(prefix + "_MINIO_SECRET_KEY")
		if err != nil {
			return nil, err
		}
		if accessKey == s.rootUser {
			return nil, fmt.Errorf("%s_MINIO_ACCESS_KEY must not be the root account", prefix)
		}
		policy, err := renderPolicy(path, s.templateVars)
		if err != nil {
			return nil, err
		}
		users = append(users, serviceUser{service: service, accessKey: accessKey, secretKey: secretKey, policy: policy})
	}
	return users, nil
}

func renderPolicy(path string, vars map[string]string) ([]byte, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var unknown []string
	text := os.Expand(string(raw), func(name string) string {
		v, ok := vars[name]
		if !ok {
			unknown = append(unknown, name)
		}
		return v
	})
	if len(unknown) > 0 {
		return nil, fmt.Errorf("%s: unknown placeholders %v", path, unknown)
	}
	if !json.Valid([]byte(text)) {
		return nil, fmt.Errorf("%s is not valid JSON once filled in", path)
	}
	return []byte(text), nil
}

func clients(s settings) (*minio.Client, *madmin.AdminClient, error) {
	s3, err := minio.New(s.endpoint, &minio.Options{Creds: credentials.NewStaticV4(s.rootUser, s.rootPassword, ""), Secure: s.ssl})
	if err != nil {
		return nil, nil, err
	}
	admin, err := madmin.New(s.endpoint, s.rootUser, s.rootPassword, s.ssl)
	return s3, admin, err
}

func apply(ctx context.Context, s settings, users []serviceUser) error {
	s3, admin, err := clients(s)
	if err != nil {
		return err
	}
	for _, bucket := range []string{s.srcBucket, s.resBucket} {
		if err := ensureBucket(ctx, s3, bucket); err != nil {
			return fmt.Errorf("bucket %s: %w", bucket, err)
		}
	}
	if err := ensureVersioned(ctx, s3, s.srcBucket); err != nil {
		return fmt.Errorf("bucket %s versioning: %w", s.srcBucket, err)
	}
	if err := ensureLifecycleRule(ctx, s3, s.srcBucket, versionsRule()); err != nil {
		return fmt.Errorf("bucket %s lifecycle: %w", s.srcBucket, err)
	}
	if err := subscribe(ctx, s3, s.srcBucket, s.targetIDs); err != nil {
		return fmt.Errorf("bucket %s notification: %w", s.srcBucket, err)
	}
	var names []string
	for _, u := range users {
		if err := admin.AddCannedPolicy(ctx, u.accessKey, u.policy); err != nil {
			return fmt.Errorf("policy of %s: %w", u.service, err)
		}
		// Creates the user, or sets the secret of an existing one.
		if err := admin.AddUser(ctx, u.accessKey, u.secretKey); err != nil {
			return fmt.Errorf("user of %s: %w", u.service, err)
		}
		if err := attachPolicy(ctx, admin, u.accessKey); err != nil {
			return fmt.Errorf("attaching the policy of %s: %w", u.service, err)
		}
		names = append(names, fmt.Sprintf("%s (%s)", u.accessKey, u.service))
	}
	fmt.Fprintf(os.Stderr, "minio-provision: buckets %s and %s, %s versioned and subscribed to %v; users %s\n",
		s.srcBucket, s.resBucket, s.srcBucket, s.targetIDs, strings.Join(names, ", "))
	return nil
}

func remove(ctx context.Context, s settings, users []serviceUser) error {
	_, admin, err := clients(s)
	if err != nil {
		return err
	}
	var errs []error
	for _, u := range users {
		// The user first: a policy still attached to someone cannot be removed.
		if err := admin.RemoveUser(ctx, u.accessKey); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("user of %s: %w", u.service, err))
		}
		if err := admin.RemoveCannedPolicy(ctx, u.accessKey); err != nil && !isNotFound(err) {
			errs = append(errs, fmt.Errorf("policy of %s: %w", u.service, err))
		}
	}
	return errors.Join(errs...)
}

func ensureBucket(ctx context.Context, s3 *minio.Client, bucket string) error {
	exists, err := s3.BucketExists(ctx, bucket)
	if err != nil || exists {
		return err
	}
	err = s3.MakeBucket(ctx, bucket, minio.MakeBucketOptions{})
	// Another provisioning run created it first.
	if code := minio.ToErrorResponse(err).Code; code == "BucketAlreadyOwnedByYou" || code == "BucketAlreadyExists" {
		return nil
	}
	return err
}

// ensureVersioned turns versioning on, also where someone suspended it: an unversioned source
// bucket is the one in which a healed stale copy can undo an acknowledged delete. Set only when
// it is not on, so a re-run changes nothing.
func ensureVersioned(ctx context.Context, s3 *minio.Client, bucket string) error {
	current, err := s3.GetBucketVersioning(ctx, bucket)
	if err != nil || current.Enabled() {
		return err
	}
	return s3.EnableVersioning(ctx, bucket)
}

// ensureLifecycleRule puts our rule in the bucket's lifecycle configuration, keeping any rule of
// someone else's. The configuration is replaced as a whole, so it is only written when our rule
// is missing or differs.
func ensureLifecycleRule(ctx context.Context, s3 *minio.Client, bucket string, rule lifecycle.Rule) error {
	current, err := s3.GetBucketLifecycle(ctx, bucket)
	if minio.ToErrorResponse(err).Code == "NoSuchLifecycleConfiguration" {
		current, err = lifecycle.NewConfiguration(), nil
	}
	if err != nil {
		return err
	}
	wanted := lifecycle.NewConfiguration()
	for _, r := range current.Rules {
		// Rule IDs are unique within a configuration (MinIO refuses duplicates).
		if r.ID == rule.ID && sameRule(r, rule) {
			return nil
		}
		if r.ID != rule.ID {
			wanted.Rules = append(wanted.Rules, r)
		}
	}
	wanted.Rules = append(wanted.Rules, rule)
	return s3.SetBucketLifecycle(ctx, bucket, wanted)
}

// sameRule compares what a rule does, as the server gives it back (its JSON form leaves out the
// empty parts, which the XML read back may hold as zero values).
func sameRule(a, b lifecycle.Rule) bool {
	ja, errA := json.Marshal(a)
	jb, errB := json.Marshal(b)
	return errA == nil && errB == nil && string(ja) == string(jb)
}

// subscribe points the bucket's events at every MQTT target. A bucket notification is replaced
// as a whole, so it is only written when it differs from what is wanted.
func subscribe(ctx context.Context, s3 *minio.Client, bucket string, targetIDs []string) error {
	current, err := s3.GetBucketNotification(ctx, bucket)
	if err != nil {
		return err
	}
	wanted := notification.Configuration{}
	for _, id := range targetIDs {
		queue := notification.NewConfig(notification.NewArn("minio", "sqs", "", id, "mqtt"))
		queue.AddEvents(bucketEvents...)
		wanted.AddQueue(queue)
	}
	if sameQueues(current, wanted) && len(current.TopicConfigs) == 0 && len(current.LambdaConfigs) == 0 {
		return nil
	}
	// MinIO answers ready before it has registered its targets (that happens in the background
	// after start), so a subscription made at once can be refused for naming one: asked again.
	deadline := time.Now().Add(30 * time.Second)
	for {
		err = s3.SetBucketNotification(ctx, bucket, wanted)
		if err == nil || !isUnknownTarget(err) || time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

// isUnknownTarget: MinIO's answer to a notification that names a target it does not know.
func isUnknownTarget(err error) bool {
	return strings.Contains(minio.ToErrorResponse(err).Message, "destination ARN does not exist")
}

func sameQueues(current, wanted notification.Configuration) bool {
	if len(current.QueueConfigs) != len(wanted.QueueConfigs) {
		return false
	}
	for _, w := range wanted.QueueConfigs {
		found := false
		for _, c := range current.QueueConfigs {
			unfiltered := c.Filter == nil || len(c.Filter.S3Key.FilterRules) == 0
			if c.Queue == w.Queue && unfiltered && hasEvents(c.Events, bucketEvents) {
				found = true
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func hasEvents(have, want []notification.EventType) bool {
	for _, w := range want {
		found := false
		for _, h := range have {
			found = found || h == w
		}
		if !found {
			return false
		}
	}
	return true
}

// attachPolicy attaches the user's policy, named after it, to the user. Behind the clustered
// topology's load balancer the call may reach another node than the one that just created the
// user; a node that has come back from a kill may not know the user yet ("The specified user
// does not exist": a node-loss run's restart failed so), so that answer is asked again a while.
func attachPolicy(ctx context.Context, admin *madmin.AdminClient, user string) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		_, err := admin.AttachPolicy(ctx, madmin.PolicyAssociationReq{Policies: []string{user}, User: user})
		if err == nil || isAlreadyApplied(err) {
			return nil
		}
		if madmin.ToErrorResponse(err).Code != "XMinioAdminNoSuchUser" || time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func isAlreadyApplied(err error) bool {
	return madmin.ToErrorResponse(err).Code == "XMinioAdminPolicyChangeAlreadyApplied"
}

func isNotFound(err error) bool {
	code := madmin.ToErrorResponse(err).Code
	return code == "XMinioAdminNoSuchUser" || code == "XMinioAdminNoSuchPolicy"
}
