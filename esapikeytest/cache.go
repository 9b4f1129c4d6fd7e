package esapikeytest

import (
	"net/http"

	"github.com/esapikey/esapikey/esapikeytest/internal/authz"
)

const actionClearCache = "cluster:admin/xpack/security/cache/clear"

// clearKeyCache serves POST /_security/api_key/{ids}/_clear_cache. There is no cache to clear: the
// answer is the one node's acknowledgement (NodesResponseRestListener over ClearSecurityCacheResponse).
func (s *Server) clearKeyCache(c *call) (int, any, *esError) {
	if err := c.noBody(); err != nil {
		return 0, nil, err
	}
	if err := s.authorize(c.sub, authz.Request{Action: actionClearCache}); err != nil {
		return 0, nil, err
	}
	return http.StatusOK, ordered{
		{"_nodes", ordered{{"total", 1}, {"successful", 1}, {"failed", 0}}},
		{"cluster_name", clusterName},
		{"nodes", ordered{{s.nodeID, ordered{{"name", nodeName}}}}},
	}, nil
}

// The cluster as this server presents it: one node, named like the cluster.
const (
	clusterName = "esapikeytest"
	nodeName    = "esapikeytest"
)
