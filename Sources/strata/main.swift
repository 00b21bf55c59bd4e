import StrataCLI

StrataMain.run()
