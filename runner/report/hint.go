package report

import (
	"errors"
	"fmt"
	"io"

	"github.com/c2q/c2q/chat2query"
	"github.com/c2q/c2q/runner"
	"github.com/c2q/c2q/spec"
)

// EndpointHint says where the endpoint and keys of a run that failed on
// them came from: the client speaks of "the endpoint URL" and "the public
// and private key", the configuration knows they may be environment
// variables.
func EndpointHint(w io.Writer, res *runner.Result) {
	var auth, network bool
	var netErr *chat2query.NetworkError
	for _, sr := range res.Sessions {
		for _, q := range sr.Questions {
			auth = auth || errors.Is(q.Err, chat2query.ErrAuth)
			network = network || errors.As(q.Err, &netErr)
		}
	}
	if auth {
		fmt.Fprintf(w, "The keys come from %s and %s, or public_key and private_key in the chat2query block.\n", spec.EnvPublicKey, spec.EnvPrivateKey)
	}
	if network {
		fmt.Fprintf(w, "The endpoint URL comes from %s, or url in the chat2query block.\n", spec.EnvURL)
	}
}
