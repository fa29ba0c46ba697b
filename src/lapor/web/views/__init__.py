"""Web views, one module per audience: the public portal, the reporter's own pages, the officer
console, its configuration pages and accounts. Each view: parse -> access -> one service -> render."""
