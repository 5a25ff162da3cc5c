package newcountry

import (
	"fmt"
	"strconv"
	"strings"

	"edstack/plan"
	"edstack/stacks"
)

// Step is one thing to do between new-country and a live country.
type Step struct {
	Title string
	// Done: the stack file or the region already takes care of it.
	Done     bool
	Why      string
	Commands []string
}

// Facts are what the checklist depends on. The README's runbook is the
// same checklist for a country not yet chosen: placeholders for names,
// and OptIn unknown.
type Facts struct {
	Code, Region, Domain string
	// OptIn is whether the region must be enabled first; nil: not known
	// (the README's runbook says when it must).
	OptIn *bool
	// ZoneURN is the hosted zone's URN when the stack creates the zone;
	// "" when it uses an existing zone (edstack:hostedZoneId).
	ZoneURN string
	DNSSEC  bool
	// What the stack file already sets.
	Licensed, ImageMirrored, Told bool
	// SpotVCPU and OnDemandVCPU are the cluster's Fargate vCPUs.
	SpotVCPU, OnDemandVCPU int
}

// factsOf reads the facts from the file and its plan.
func factsOf(f File, p *plan.Plan) Facts {
	reg, _ := stacks.LookupRegion(f.Region)
	optIn := reg.OptIn
	cfg := func(k string) string { return p.Config[k] }
	num := func(k string) int { n, _ := strconv.Atoi(cfg(k)); return n }
	fs := Facts{Code: f.Country.Code, Region: f.Region, Domain: f.Domain, OptIn: &optIn,
		DNSSEC:        cfg(stacks.KeyDNSSEC) == "true",
		Licensed:      cfg(stacks.KeyCockroachLicenseSecretArn) != "",
		ImageMirrored: cfg(stacks.KeyCockroachRegistrySecret) != "" || cfg(stacks.KeyCockroachImageRepository) != "",
		Told:          cfg(stacks.KeyAlarmEmails) != "[]" && cfg(stacks.KeyAlarmEmails) != "" || cfg(stacks.KeyAlarmPagerSecretArn) != "",
	}
	fs.SpotVCPU, fs.OnDemandVCPU = fargateVCPUs(num(stacks.KeyCockroachNodes), num(stacks.KeyCockroachOnDemandNodes), num(stacks.KeyCockroachCPU))

	for _, r := range p.Resources {
		if r.Type == "aws:route53/zone:Zone" {
			fs.ZoneURN = r.URN
		}
	}
	return fs
}

// fargateVCPUs are the vCPUs a cluster of nodes runs on Fargate Spot and on
// on-demand Fargate, each node cpuUnits/1024 vCPUs.
func fargateVCPUs(nodes, onDemand, cpuUnits int) (spot, demand int) {
	return (nodes - onDemand) * cpuUnits / 1024, onDemand * cpuUnits / 1024
}

// Steps is the checklist from a stack file to a live country, in order.
func Steps(f Facts) []Step {
	var steps []Step
	add := func(s Step) { steps = append(steps, s) }

	region := Step{Title: "Enable the region " + f.Region + " in the account",
		Why: "an opt-in region is off in every account until enabled; enabling takes minutes to hours",
		Commands: []string{
			"aws account enable-region --region-name " + f.Region,
			"aws account get-region-opt-status --region-name " + f.Region + "   # until it says ENABLED",
		}}
	switch {
	case f.OptIn == nil:
		region.Title = "If the region is opt-in (the regions table says), enable it in the account"
	case !*f.OptIn:
		region.Done, region.Why, region.Commands = true, f.Region+" is not an opt-in region: every account has it", nil
	}
	add(region)

	add(Step{Title: "Check the Fargate quotas of " + f.Region,
		Why: fmt.Sprintf("the cluster runs %d vCPUs on Fargate Spot and %d on on-demand Fargate, and replacements start before old tasks stop; "+
			"a new account's quotas can be lower: compare them in Service Quotas (AWS Fargate) and ask for more first", f.SpotVCPU, f.OnDemandVCPU),
		Commands: []string{"aws service-quotas list-service-quotas --service-code fargate --region " + f.Region}})

	add(Step{Title: "Choose the state backend and secrets provider, and create the stack",
		Why: "the state holds the cluster's CA key and generated passwords, encrypted by the stack's secrets provider; " +
			"pulumi stack init records the provider in Pulumi." + f.Code + ".yaml, so commit the file after it",
		Commands: []string{
			"pulumi login                 # Pulumi Cloud, or: pulumi login s3://<state-bucket>",
			"pulumi stack init " + f.Code + " --secrets-provider 'awskms://alias/<an existing key>?region=" + f.Region + "'   # or the backend's default: Pulumi Cloud's, or a passphrase",
		}})

	licence := Step{Title: "Store the CockroachDB licence key and point the stack at it", Done: f.Licensed,
		Why: "without it CockroachDB throttles the cluster 7 days after init; the key stays in Secrets Manager, never in config",
		Commands: []string{
			"aws secretsmanager create-secret --region " + f.Region + " --name edstack/" + f.Code + "/cockroach-licence --secret-string '<licence key>'",
			"pulumi config set " + stacks.KeyCockroachLicenseSecretArn + " <the secret's ARN>",
			"pulumi config rm " + stacks.KeyCockroachUnlicensed,
		}}
	if f.Licensed {
		licence.Why, licence.Commands = "the stack file names the licence secret", nil
	}
	add(licence)

	image := Step{Title: "Pull the CockroachDB image through ECR, not anonymously from Docker Hub", Done: f.ImageMirrored,
		Why: "anonymous pulls are limited to 10 an hour per NAT address, which a roll or a Spot burst exhausts (README, CockroachDB, \"Images\")",
		Commands: []string{
			"aws secretsmanager create-secret --region " + f.Region + " --name ecr-pullthroughcache/edstack-" + f.Code + " --secret-string '{\"username\":\"<docker hub user>\",\"accessToken\":\"<token>\"}'",
			"pulumi config set " + stacks.KeyCockroachRegistrySecret + " <the secret's ARN>   # or " + stacks.KeyCockroachImageRepository + " for your own mirror",
		}}
	if f.ImageMirrored {
		image.Why, image.Commands = "the stack file names a pull-through cache secret or a mirror", nil
	}
	add(image)

	told := Step{Title: "Say who the alarms tell", Done: f.Told,
		Why: "until then every alarm changes state and nobody is told (the plan says NOBODY IS TOLD)",
		Commands: []string{
			"pulumi config set --path '" + stacks.KeyAlarmEmails + "[0]' oncall@example.org",
			"pulumi config set " + stacks.KeyAlarmPagerSecretArn + " <ARN of a secret holding the pager's HTTPS URL>",
		}}
	if f.Told {
		told.Why, told.Commands = "the stack file names alarm subscribers", nil
	}
	add(told)

	add(Step{Title: "Commit Pulumi." + f.Code + ".yaml and open a pull request",
		Why:      "the review workflow comments the plan, cost and policy of the new stack for a reviewer",
		Commands: []string{"go run . plan --stack " + f.Code + "   # what the reviewer will see"}})

	if f.ZoneURN != "" {
		add(Step{Title: "Create the hosted zone first, and delegate " + f.Domain + " to it",
			Why: "the certificate validates through DNS records in the zone, so the first full pulumi up waits until the parent domain delegates to it",
			Commands: []string{
				"pulumi up --target '" + f.ZoneURN + "'",
				"aws route53 list-hosted-zones-by-name --dns-name " + f.Domain + " --max-items 1   # the zone's id",
				"aws route53 get-hosted-zone --id <the zone's id> --query DelegationSet.NameServers   # NS records for " + f.Domain + " at its parent",
				"dig +short NS " + f.Domain + "        # until it answers with them",
			}})
	} else {
		add(Step{Title: "The records go to the existing zone (" + stacks.KeyHostedZoneID + ")", Done: true,
			Why: "nothing to delegate"})
	}

	add(Step{Title: "Deploy",
		Why:      "preview against the real account first: it should match the offline plan",
		Commands: []string{"pulumi preview", "pulumi up"}})

	after := Step{Title: "After the first pulumi up: confirm the alarm emails, and chain DNSSEC",
		Why:      "SNS tells an address only once it confirms (one email per topic); resolvers trust the signed zone only once the parent holds its DS record",
		Commands: []string{"pulumi stack output dsRecord   # add it as a DS record at the parent's registrar"}}
	if !f.DNSSEC {
		after.Title, after.Commands = "After the first pulumi up: confirm the alarm emails", nil
		after.Why = "SNS tells an address only once it confirms (one email per topic)"
	}
	add(after)
	return steps
}

// Text is the checklist for a terminal: [x] for what is done.
func Text(steps []Step) string {
	var b strings.Builder
	for i, s := range steps {
		mark := "[ ]"
		if s.Done {
			mark = "[x]"
		}
		fmt.Fprintf(&b, "  %2d. %s %s\n", i+1, mark, s.Title)
		fmt.Fprintf(&b, "          %s\n", s.Why)
		for _, c := range s.Commands {
			fmt.Fprintf(&b, "          $ %s\n", c)
		}
	}
	return b.String()
}

// Markdown is the checklist for the README: a numbered list, commands in
// shell blocks.
func Markdown(steps []Step) string {
	var b strings.Builder
	for i, s := range steps {
		item := fmt.Sprintf("%d. ", i+1)
		indent := strings.Repeat(" ", len(item)) // a block inside the item aligns with its text
		fmt.Fprintf(&b, "%s**%s.** %s.\n", item, s.Title, upperFirst(s.Why))
		if len(s.Commands) > 0 {
			fmt.Fprintf(&b, "\n%s```sh\n", indent)
			for _, c := range s.Commands {
				fmt.Fprintf(&b, "%s%s\n", indent, c)
			}
			fmt.Fprintf(&b, "%s```\n", indent)
		}
		b.WriteString("\n")
	}
	return strings.TrimSuffix(b.String(), "\n")
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
