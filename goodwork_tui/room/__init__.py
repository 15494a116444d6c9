"""The room: participants add notes and dots from their phones, on the local network.

No Textual here: the app starts a `RoomServer` on its own loop and hands it a backend
(the open session's owner) that follows the contract in backend.py.
"""
