#!/usr/bin/env bash
# Posts each stack's review (DIR/<stack>.md, written by `go run . review
# --out DIR`) on the pull request named in DIR/pr-number, as one comment per
# stack: the comment whose first line is the stack's marker is edited in
# place; a stack without one gets a new comment, unless its review says
# there are no changes.
#
# The files come from a pull request's workflow run, so they are data only:
# the number and the stack names are checked before use, and bodies are sent
# as files, never through the shell.
#
# Needs: gh (authenticated through GH_TOKEN), jq, REPO=owner/name, and
# HEAD_SHA, the commit the review is of: the pull request must be at it.
set -euo pipefail

dir=${1:?usage: sticky-comment.sh DIR}
: "${REPO:?REPO=owner/name is required}"
: "${HEAD_SHA:?HEAD_SHA, the reviewed commit, is required}"

pr=$(tr -d '[:space:]' < "$dir/pr-number")
if ! [[ $pr =~ ^[0-9]{1,10}$ ]]; then
  echo "sticky-comment: $dir/pr-number does not hold a pull request number" >&2
  exit 1
fi

# The artifact is the pull request's to write: it could name any pull
# request. Post only on the one whose head is the reviewed commit.
head=$(gh api "repos/$REPO/pulls/$pr" | jq -r '.head.sha')
if [ "$head" != "$HEAD_SHA" ]; then
  echo "sticky-comment: pull request #$pr is at $head, not at the reviewed commit $HEAD_SHA: not posting" >&2
  exit 1
fi

existing=$(gh api --paginate "repos/$REPO/issues/$pr/comments" |
  jq -r '.[] | select(.user.login == "github-actions[bot]") | [.id, (.body | split("\n")[0] | rtrimstr("\r"))] | @tsv')

posted=0
for file in "$dir"/*.md; do
  [ -e "$file" ] || continue
  stack=$(basename "$file" .md)
  if ! [[ $stack =~ ^[A-Za-z0-9_.-]{1,100}$ ]]; then
    echo "sticky-comment: skipping $file: not a stack name" >&2
    continue
  fi
  marker="<!-- edstack-review stack=$stack -->"
  if [ "$(head -n 1 "$file")" != "$marker" ]; then
    echo "sticky-comment: skipping $file: it does not start with the marker $marker" >&2
    continue
  fi
  id=$(awk -F '\t' -v m="$marker" '$2 == m { print $1; exit }' <<< "$existing")
  if [ -n "$id" ]; then
    gh api --method PATCH "repos/$REPO/issues/comments/$id" -F "body=@$file" > /dev/null
    echo "sticky-comment: $stack: updated comment $id"
  elif grep -q '^\*\*No changes\.\*\*' "$file"; then
    echo "sticky-comment: $stack: no changes, no comment"
    continue
  else
    gh api --method POST "repos/$REPO/issues/$pr/comments" -F "body=@$file" > /dev/null
    echo "sticky-comment: $stack: new comment"
  fi
  posted=$((posted + 1))
done
echo "sticky-comment: $posted comment(s) on #$pr"
