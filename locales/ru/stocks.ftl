# Каталог и остатки (F2, F5).

store-main-name = Основной склад
audit-catalogue-changed = изменил(а) каталог
audit-stock-changed = изменил(а) остаток
