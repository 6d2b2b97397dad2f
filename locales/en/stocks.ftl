# Catalogue and stocks (F2, F5).

store-main-name = Main warehouse
audit-catalogue-changed = changed the catalogue
audit-stock-changed = changed a stock level
