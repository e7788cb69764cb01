//go:build tools

// Package tools records the main packages scripts/tools/rollouts.sh builds, so
// that `go mod tidy` keeps their dependencies in go.sum.
package tools

import (
	_ "github.com/argoproj/argo-rollouts/cmd/kubectl-argo-rollouts"
	_ "github.com/argoproj/argo-rollouts/cmd/rollouts-controller"
)
