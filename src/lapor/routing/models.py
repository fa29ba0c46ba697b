"""The router keeps no tables of its own. Its trained models are files under settings.MODEL_DIR (see
`routing.store`), its labels are the reports' timeline (route and decline events, read in
`routing.training`), and its rules are `agencies.RoutingRule`."""
