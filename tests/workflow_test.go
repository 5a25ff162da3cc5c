package tests

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"edstack/review"
)

// stubGH is a gh that logs each call and, for the comment list, prints the
// comments the test gives it.
const stubGH = `#!/usr/bin/env bash
set -euo pipefail
echo "gh $*" >> "$GH_LOG"
for a in "$@"; do
  case $a in
    body=@*) echo "body: $(head -n 1 "${a#body=@}")" >> "$GH_LOG" ;;
  esac
done
if [[ " $* " == *" --paginate "* ]]; then cat "$GH_COMMENTS"; fi
if [[ " $* " == *"/pulls/"* ]]; then echo '{"head": {"sha": "abc123"}}'; fi
`

// runStickyComment runs .github/scripts/sticky-comment.sh on a review
// folder with a stub gh, and returns what gh was asked to do.
func runStickyComment(t *testing.T, files map[string]string, comments string, headSHA string) (string, error) {
	t.Helper()
	if _, err := exec.LookPath("jq"); err != nil {
		t.Fatal("jq is not installed: .ci/run installs it; the comment job's runner has it")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "bin")
	reviewDir := filepath.Join(dir, "review")
	require.NoError(t, os.MkdirAll(bin, 0o755))
	require.NoError(t, os.MkdirAll(reviewDir, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(bin, "gh"), []byte(stubGH), 0o755))
	for name, body := range files {
		require.NoError(t, os.WriteFile(filepath.Join(reviewDir, name), []byte(body), 0o644))
	}
	require.NoError(t, os.WriteFile(filepath.Join(dir, "comments.json"), []byte(comments), 0o644))
	log := filepath.Join(dir, "gh.log")
	cmd := exec.Command("bash", filepath.Join("..", ".github", "scripts", "sticky-comment.sh"), reviewDir)
	cmd.Env = append(os.Environ(), "PATH="+bin+":"+os.Getenv("PATH"), "REPO=edstack/edstack", "HEAD_SHA="+headSHA,
		"GH_LOG="+log, "GH_COMMENTS="+filepath.Join(dir, "comments.json"))
	out, err := cmd.CombinedOutput()
	calls, _ := os.ReadFile(log)
	t.Logf("script said:\n%s", out)
	return string(calls), err
}

// The comment job edits each stack's comment in place, adds one for a
// stack that has none, and stays quiet for a stack with no changes.
func TestStickyCommentEditsInPlace(t *testing.T) {
	nz := review.Marker("nz") + "\n### edstack review: stack `nz`\n\n**1 to create**\n"
	au := review.Marker("au") + "\n### edstack review: stack `au`\n\n**2 to update**\n"
	dev := review.Marker("dev") + "\n### edstack review: stack `dev`\n\n**No changes.** `pulumi up` would leave every resource as it is.\n"
	// Two pages, as gh --paginate prints them; a person's comment that
	// quotes the marker is not the bot's.
	// (edited in the web UI, so its lines end in CRLF).
	comments := `[{"id": 11, "user": {"login": "someone"}, "body": "` + review.Marker("au") + `\nme"}]
[{"id": 42, "user": {"login": "github-actions[bot]"}, "body": "` + review.Marker("au") + `\r\nold"}, {"id": 7, "user": {"login": "other[bot]"}, "body": "` + review.Marker("nz") + `"}]`
	calls, err := runStickyComment(t, map[string]string{"pr-number": "17\n", "nz.md": nz, "au.md": au, "dev.md": dev}, comments, "abc123")
	require.NoError(t, err)
	assert.Equal(t, strings.Join([]string{
		"gh api repos/edstack/edstack/pulls/17",
		"gh api --paginate repos/edstack/edstack/issues/17/comments",
		"gh api --method PATCH repos/edstack/edstack/issues/comments/42 -F body=@" + "REVIEW/au.md",
		"body: " + review.Marker("au"),
		"gh api --method POST repos/edstack/edstack/issues/17/comments -F body=@" + "REVIEW/nz.md",
		"body: " + review.Marker("nz"),
	}, "\n")+"\n", normalise(calls))
}

// The artifact comes from a pull request's run: a pull-request number that
// is not one stops the job, and a file that is not a stack's review is not
// posted.
func TestStickyCommentTrustsNothingInTheArtifact(t *testing.T) {
	_, err := runStickyComment(t, map[string]string{"pr-number": "17; rm -rf /", "nz.md": review.Marker("nz") + "\n"}, "[]", "abc123")
	assert.Error(t, err)

	// A run that names another pull request than the one at its commit.
	calls, err := runStickyComment(t, map[string]string{"pr-number": "17", "nz.md": review.Marker("nz") + "\n"}, "[]", "def456")
	assert.Error(t, err)
	assert.Equal(t, "gh api repos/edstack/edstack/pulls/17\n", calls, "nothing posted")

	calls, err = runStickyComment(t, map[string]string{"pr-number": "3",
		"evil.md": "@here please merge\n", "a b.md": review.Marker("a b") + "\n"}, "[]", "abc123")
	require.NoError(t, err)
	assert.Equal(t, "gh api repos/edstack/edstack/pulls/3\ngh api --paginate repos/edstack/edstack/issues/3/comments\n", calls, "nothing posted")
}

// normalise replaces the temporary review folder with REVIEW.
func normalise(log string) string {
	var out []string
	for _, line := range strings.Split(strings.TrimRight(log, "\n"), "\n") {
		if i := strings.Index(line, "body=@"); i >= 0 {
			file := line[i+len("body=@"):]
			line = line[:i] + "body=@REVIEW/" + filepath.Base(file)
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n") + "\n"
}

// The workflows call the review as the command defines it, and the comment
// job finds the review job's artifact by the names it gives.
func TestWorkflowsCallTheReviewAsDefined(t *testing.T) {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join("..", ".github", "workflows", name))
		require.NoError(t, err)
		return string(b)
	}
	reviewYML, commentYML := read("review.yml"), read("review-comment.yml")

	var command string
	for _, line := range strings.Split(reviewYML, "\n") {
		if i := strings.Index(line, "go run . review "); i >= 0 {
			command = line[i:]
		}
	}
	require.NotEmpty(t, command, "review.yml runs go run . review")
	for _, f := range strings.Fields(command) {
		if strings.HasPrefix(f, "--") {
			assert.Contains(t, review.Usage, "  "+f+" ", "review.yml passes %s, which the review command defines", f)
		}
	}
	assert.Contains(t, reviewYML, "\nname: review\n")
	assert.Contains(t, commentYML, "workflows: [review]")
	assert.Contains(t, reviewYML, "name: edstack-review")
	assert.Contains(t, commentYML, "name: edstack-review")
	assert.Contains(t, commentYML, ".github/scripts/sticky-comment.sh \"$REVIEW\"")
	assert.Contains(t, commentYML, "HEAD_SHA: ${{ github.event.workflow_run.head_sha }}")
	assert.Contains(t, reviewYML, "${{ runner.temp }}/edstack-review/review.json")
	// The pull request's code runs with a read-only token and no secrets.
	assert.Contains(t, reviewYML, "permissions:\n  contents: read\n")
	assert.NotContains(t, reviewYML, "secrets.")
	assert.NotContains(t, reviewYML, "pull_request_target")
}
