"""The game's persistence: the codec, the game's and tables' repositories, the seed's.

The codec is the stored form of the game's and the tables' events. This
package sits above the application, whose ports its repositories implement,
and below the read models, which take the codec from here to read the same
streams.
"""
